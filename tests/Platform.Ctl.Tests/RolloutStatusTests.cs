using System.Text.Json.Nodes;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Ctl.Tests;

/// <summary>
/// <c>rollout status</c> against status written through the <c>status</c> subresource exactly as the
/// controller-manager's DeploymentStatusWriter would write it.
/// </summary>
[Collection(CtlCollection.Name)]
public sealed class RolloutStatusTests(PostgresFixture pg, KafkaFixture kafka)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Status_PrintsEachProgressStepLive_AndSucceedsWhenTheRolloutCompletes()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var web = await RolloutWorkloads.CreateDeploymentAsync(admin, "web", "httpd:2.4");
        var generation = (long)web["metadata"]!["generation"]!;
        var (output, run) = Start(host, "rollout", "status", "deployment/web", "--timeout", "1m");

        await Eventually.WaitAsync(() => Has(output, "Waiting for deployment spec update to be observed..."), Wait, "the unobserved generation");
        await SetStatusAsync(admin, generation, replicas: 3, updated: 1, available: 0, "ReplicaSetUpdated");
        await Eventually.WaitAsync(() => Has(output, "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated..."), Wait, "updated replicas");
        await SetStatusAsync(admin, generation, replicas: 4, updated: 3, available: 2, "ReplicaSetUpdated");
        await Eventually.WaitAsync(() => Has(output, "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination..."), Wait, "old replicas");
        await SetStatusAsync(admin, generation, replicas: 3, updated: 3, available: 1, "ReplicaSetUpdated");
        await Eventually.WaitAsync(() => Has(output, "Waiting for deployment \"web\" rollout to finish: 1 of 3 updated replicas are available..."), Wait, "available replicas");
        Assert.False(run.IsCompleted);
        await SetStatusAsync(admin, generation, replicas: 3, updated: 3, available: 3, "NewReplicaSetAvailable");

        var (exit, _) = await run.WaitAsync(Wait);
        Assert.Equal(0, exit);
        Assert.Equal(
        [
            "Waiting for deployment spec update to be observed...",
            "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...",
            "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...",
            "Waiting for deployment \"web\" rollout to finish: 1 of 3 updated replicas are available...",
            "deployment \"web\" successfully rolled out",
        ], output().TrimEnd().Split('\n'));

        // Once complete, a second call answers at once; a newer generation is not trusted until observed.
        var ctl = new CtlRunner(host);
        Assert.Equal((0, "deployment \"web\" successfully rolled out"), await Once(ctl, "rollout status deployment/web"));
        await admin.PatchAsync($"{RolloutWorkloads.Deployments}/web", """{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"httpd:2.5"}]}}}}""").ExpectAsync(200);
        Assert.Equal((0, "Waiting for deployment spec update to be observed..."), await Once(ctl, "rollout status deployment/web -w=false"));
    }

    [Fact]
    public async Task Status_FailsWithTheDeadlineMessage_WhenProgressDeadlineIsExceeded_AndGivesUpAtTheTimeout()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var web = await RolloutWorkloads.CreateDeploymentAsync(admin, "web", "httpd:2.4");
        var generation = (long)web["metadata"]!["generation"]!;
        await SetStatusAsync(admin, generation, replicas: 3, updated: 1, available: 0, "ReplicaSetUpdated");
        var (output, run) = Start(host, "rollout", "status", "deployment/web");
        await Eventually.WaitAsync(() => Has(output, "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated..."), Wait, "progress");
        await SetStatusAsync(admin, generation, replicas: 3, updated: 1, available: 0, "ProgressDeadlineExceeded");

        var (exit, error) = await run.WaitAsync(Wait);
        Assert.Equal(1, exit);
        Assert.Equal("error: deployment \"web\" exceeded its progress deadline", error.Trim());

        var stuck = await RolloutWorkloads.CreateDeploymentAsync(admin, "stuck", "httpd:2.4");
        await SetStatusAsync(admin, (long)stuck["metadata"]!["generation"]!, replicas: 3, updated: 3, available: 2, "ReplicaSetUpdated", name: "stuck");
        var ctl = new CtlRunner(host);
        var timedOut = await ctl.RunAsync("rollout status deployment/stuck --timeout 1500ms");
        Assert.Equal(1, timedOut.Exit);
        Assert.Equal("Waiting for deployment \"stuck\" rollout to finish: 2 of 3 updated replicas are available...", timedOut.Out.Trim());
        Assert.StartsWith("error: timed out waiting for the condition", timedOut.Err);
        Assert.Contains("--timeout", (await ctl.RunAsync("rollout status deployment/stuck --timeout soon")).Err);
        Assert.Contains("deployments.apps \"absent\" not found", (await ctl.RunAsync("rollout status deployment/absent")).Err);
    }

    /// <summary>Runs platformctl in the background; the returned reader takes the writer's lock, so it never sees a half-written line.</summary>
    private static (Func<string> Output, Task<(int Exit, string Error)> Run) Start(ApiServerHost host, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var sync = TextWriter.Synchronized(output);
        var env = new CtlEnvironment(sync, TextWriter.Synchronized(error), new StringReader(""), new Dictionary<string, string?>
        {
            ["PLATFORM_APISERVER_URL"] = host.BaseAddress.ToString(), ["PLATFORM_TOKEN"] = host.AdminToken,
            ["PLATFORMCTL_CONFIG"] = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "config.json"),
        });
        return (Read, Run());

        string Read()
        {
            // TextWriter.Synchronized locks the wrapper itself around every write.
            lock (sync) return output.ToString();
        }

        async Task<(int, string)> Run() => (await CtlApp.RunAsync(args, env), error.ToString());
    }

    private static bool Has(Func<string> output, string line) => output().Split('\n').Contains(line);

    private static async Task<(int, string)> Once(CtlRunner ctl, string args)
    {
        var r = await ctl.RunAsync(args);
        return (r.Exit, r.Out.Trim());
    }

    private static Task SetStatusAsync(HttpClient admin, long generation, int replicas, int updated, int available, string reason, string name = "web")
    {
        var progressing = new JsonObject
        {
            ["type"] = "Progressing",
            ["status"] = reason == "ProgressDeadlineExceeded" ? "False" : "True",
            ["reason"] = reason,
            ["message"] = $"ReplicaSet \"{name}-h1\" {(reason == "ProgressDeadlineExceeded" ? "has timed out progressing." : "is progressing.")}",
        };
        var status = new JsonObject
        {
            ["observedGeneration"] = generation,
            ["replicas"] = replicas,
            ["updatedReplicas"] = updated,
            ["readyReplicas"] = available,
            ["availableReplicas"] = available,
            ["unavailableReplicas"] = Math.Max(0, replicas - available),
            ["conditions"] = new JsonArray(progressing),
        };
        return admin.PatchAsync($"{RolloutWorkloads.Deployments}/{name}/status", new JsonObject { ["status"] = status }.ToJsonString()).ExpectAsync(200);
    }
}
