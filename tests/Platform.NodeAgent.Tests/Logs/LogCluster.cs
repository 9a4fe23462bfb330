using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.Ctl;
using Platform.NodeAgent.Tests.Infrastructure;

namespace Platform.NodeAgent.Tests.Logs;

/// <summary>What the log tests need beyond <see cref="ClusterApi"/>: namespaced tokens, busybox pods, platformctl in-process.</summary>
internal static class LogCluster
{
    /// <summary>A token of <paramref name="role"/> limited to <paramref name="ns"/>.</summary>
    public static async Task<string> CreateTokenAsync(HttpClient admin, string role, string ns)
    {
        var r = await ClusterApi.SendAsync(admin, HttpMethod.Post, "/apis/auth.platform.io/v1/tokens",
            new JsonObject { ["name"] = ClusterApi.NewName(role), ["role"] = role, ["namespace"] = ns });
        return (string)r["token"]!;
    }

    public static Pod ShellPod(string name, string? node, string script, string? restartPolicy = null, List<Volume>? volumes = null, List<VolumeMount>? mounts = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new ObjectMeta { Name = name },
        Spec = new PodSpec
        {
            NodeName = node,
            RestartPolicy = restartPolicy,
            TerminationGracePeriodSeconds = 1,
            Volumes = volumes,
            Containers = [new Container { Name = "main", Image = Platform.Testing.DockerFixture.BusyboxImage, Command = ["sh", "-c", script], VolumeMounts = mounts }],
        },
    };

    /// <summary>platformctl against the test apiserver with <paramref name="token"/>; its output as it is written.</summary>
    public static (Func<string> Output, Task<int> Exit, Func<string> Error) Ctl(ApiServerProcess server, string token, CancellationToken ct, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        // TextWriter.Synchronized locks on the wrapper: reading under the same lock never sees a half-written chunk.
        var syncOut = TextWriter.Synchronized(output);
        var syncErr = TextWriter.Synchronized(error);
        var env = new CtlEnvironment(syncOut, syncErr, new StringReader(""), new Dictionary<string, string?>
        {
            ["PLATFORM_APISERVER_URL"] = server.BaseAddress.ToString(),
            ["PLATFORM_TOKEN"] = token,
            ["PLATFORMCTL_CONFIG"] = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "config.json"),
        });
        var exit = Task.Run(() => CtlApp.RunAsync(args, env, ct), ct);
        return (() => { lock (syncOut) return output.ToString(); }, exit, () => { lock (syncErr) return error.ToString(); });
    }
}
