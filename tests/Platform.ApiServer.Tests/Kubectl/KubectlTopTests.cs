using System.Globalization;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>
/// <c>kubectl top</c>, unchanged, against <c>metrics.k8s.io</c>: the apiserver reads the in-process node agent's usage
/// summary, whose figures come from Docker's stats API — compared with what <c>docker stats --no-stream</c> says of the
/// same containers.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlTopTests(PostgresFixture pg, KafkaFixture kafka, DockerFixture docker) : IClassFixture<DockerFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task KubectlTop_ShowsWhatDockerStatsShows_ForACpuBurnerAndAMemoryHolder()
    {
        await using var cluster = await KubectlWithAgent.StartAsync(pg, kafka, docker, "top",
            s => s["ApiServer:Metrics:CacheTtl"] = "00:00:00", s => s["NodeAgent:Metrics:Interval"] = "00:00:02");
        var (kubectl, ns, node, admin) = (cluster.Kubectl, cluster.Namespace, cluster.Node, cluster.Admin);
        await kubectl.OkAsync($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n", "apply", "--validate=false", "-f", "-");
        await kubectl.OkAsync(BurnerPod(node), "apply", "--validate=false", "-f", "-");
        // Both containers measured over a full window (the holder's 40 MiB written to its /dev/shm).
        var seen = "";
        Dictionary<string, (int MilliCpu, int MemoryMi)>? rows = null;
        try
        {
            rows = await Eventually.WaitAsync(async () =>
            {
                var run = await kubectl.RunAsync(null, "top", "pod", "burner", "--containers", "--no-headers");
                seen = run.Stdout + run.Stderr;
                return run.ExitCode == 0 && Rows(run.Stdout) is { Count: 2 } r && r["hold"].MemoryMi >= 40 ? r : null;
            }, Wait, "kubectl top pod burner --containers to show both containers");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"kubectl top pod burner --containers never showed both containers, the holder with its 40 MiB; last: {seen}");
        }

        // The limit caps the burner at 300m whatever else runs here, so both tools see a steady figure; they read at
        // slightly different moments, hence a few tries, each comparing readings taken back to back.
        var ids = await ContainerIdsAsync(kubectl);
        string last = "";
        try
        {
            await Eventually.WaitAsync<object>(async () =>
            {
                var top = Rows(await kubectl.OkAsync(null, "top", "pod", "burner", "--containers", "--no-headers"));
                var stats = await DockerStatsAsync(ids["burn"], ids["hold"]);
                last = $"kubectl top: burn {top["burn"].MilliCpu}m, hold {top["hold"].MemoryMi}Mi; docker stats: burn {stats[ids["burn"]].MilliCpu}m, hold {stats[ids["hold"]].MemoryMi:0.#}MiB";
                return Within10Percent(top["burn"].MilliCpu, stats[ids["burn"]].MilliCpu) && Within10Percent(top["hold"].MemoryMi, stats[ids["hold"]].MemoryMi) ? true : null;
            }, TimeSpan.FromSeconds(60), "kubectl top and docker stats to agree within 10%", TimeSpan.FromSeconds(1));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"kubectl top and docker stats never agreed within 10% in 60 s; last readings: {last}");
        }
        Assert.InRange(rows!["burn"].MilliCpu, 200, 330);

        var pods = await kubectl.OkAsync(null, "top", "pod", "--no-headers");
        Assert.StartsWith("burner ", pods);
        var all = await kubectl.OkAsync(null, "top", "pod", "-A", "-l", "app=burner");
        Assert.Matches($@"^NAMESPACE\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\n{ns}\s+burner\s+\d+m\s+\d+Mi\s*\n$", all);
        Assert.Equal("", (await kubectl.RunAsync(null, "top", "pod", "-l", "app=other", "--no-headers")).Stdout);

        var nodes = await kubectl.OkAsync(null, "top", "node", node, "--no-headers");
        Assert.Matches($@"^{node}\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s*\n$", nodes);

        // A viewer in the namespace reads pod metrics (view aggregates system:aggregated-metrics-reader) but not nodes'.
        var viewer = await ClusterApi.SendAsync(admin, HttpMethod.Post, "/apis/auth.platform.io/v1/tokens",
            new System.Text.Json.Nodes.JsonObject { ["name"] = ClusterApi.NewName("viewer"), ["role"] = "viewer", ["namespace"] = ns });
        kubectl.WriteKubeconfig(cluster.Host.BaseAddress, (string)viewer["token"]!, ns);
        Assert.StartsWith("burner ", await kubectl.OkAsync(null, "top", "pod", "--no-headers"));
        var refused = await kubectl.RunAsync(null, "top", "node");
        Assert.Contains("cannot list resource \"nodes\" in API group \"metrics.k8s.io\" at the cluster scope", refused.Stderr);
    }

    private static bool Within10Percent(double a, double b) => Math.Abs(a - b) <= 0.10 * Math.Max(a, b);

    private static Dictionary<string, (int MilliCpu, int MemoryMi)> Rows(string table) =>
        table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(f => f[^3], f => (int.Parse(f[^2].TrimEnd('m'), CultureInfo.InvariantCulture), int.Parse(f[^1].TrimEnd('M', 'i'), CultureInfo.InvariantCulture)));

    private static async Task<Dictionary<string, string>> ContainerIdsAsync(KubectlSession kubectl)
    {
        var text = await kubectl.OkAsync(null, "get", "pod", "burner", "-o", "jsonpath={range .status.containerStatuses[*]}{.name}={.containerID}{\"\\n\"}{end}");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]["docker://".Length..]);
    }

    /// <summary><c>docker stats --no-stream</c> of the given containers: CPU in millicores (its percentage of one core × 10) and memory in MiB.</summary>
    private async Task<Dictionary<string, (int MilliCpu, double MemoryMi)>> DockerStatsAsync(params string[] ids)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-H", docker.Endpoint, "stats", "--no-stream", "--no-trunc", "--format", "{{.ID}} {{.CPUPerc}} {{.MemUsage}}" }.Concat(ids)) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, await p.StandardError.ReadToEndAsync());
        var result = new Dictionary<string, (int, double)>();
        foreach (var f in output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            result[f[0]] = ((int)Math.Round(double.Parse(f[1].TrimEnd('%'), CultureInfo.InvariantCulture) * 10), Mebibytes(f[2]));
        return result;
    }

    private static double Mebibytes(string text)
    {
        var unit = text.TrimStart("0123456789.".ToCharArray());
        var value = double.Parse(text[..^unit.Length], CultureInfo.InvariantCulture);
        return unit switch { "GiB" => value * 1024, "MiB" => value, "KiB" => value / 1024, "B" => value / 1024 / 1024, _ => throw new FormatException(text) };
    }

    private static string BurnerPod(string node) => $$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: burner
          labels: {app: burner}
        spec:
          nodeName: {{node}}
          terminationGracePeriodSeconds: 1
          containers:
          - name: burn
            image: {{DockerFixture.BusyboxImage}}
            command: ["sh", "-c", "while :; do :; done"]
            resources:
              requests: {cpu: 100m}
              limits: {cpu: 300m}
          - name: hold
            image: {{DockerFixture.BusyboxImage}}
            command: ["sh", "-c", "head -c 41943040 /dev/zero > /dev/shm/held; sleep 3600"]
        """;
}
