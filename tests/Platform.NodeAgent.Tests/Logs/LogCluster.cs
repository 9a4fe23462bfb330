using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.Testing.Cluster;

namespace Platform.NodeAgent.Tests.Logs;

/// <summary>What the log tests need beyond <see cref="ClusterApi"/>: namespaced tokens, busybox pods.</summary>
internal static class LogCluster
{
    /// <summary>A token of <paramref name="role"/> limited to <paramref name="ns"/>.</summary>
    public static async Task<string> CreateTokenAsync(HttpClient admin, string role, string ns)
    {
        var r = await ClusterApi.SendAsync(admin, HttpMethod.Post, "/apis/auth.platform.io/v1/tokens",
            new JsonObject { ["name"] = ClusterApi.NewName(role), ["role"] = role, ["namespace"] = ns });
        return (string)r["token"]!;
    }

    /// <summary>A Node registered by hand, at 127.0.0.1, advertising <paramref name="endpoints"/> (no agent behind it).</summary>
    public static async Task<string> CreateNodeAsync(HttpClient admin, NodeDaemonEndpoints? endpoints)
    {
        var name = ClusterApi.NewName("node");
        await admin.CreateAsync("/api/v1/nodes", new Node { ApiVersion = "v1", Kind = "Node", Metadata = new ObjectMeta { Name = name } });
        var status = new NodeStatus { Addresses = [new NodeAddress { Type = "InternalIP", Address = "127.0.0.1" }], DaemonEndpoints = endpoints };
        await ClusterApi.SendAsync(admin, HttpMethod.Patch, $"/api/v1/nodes/{name}/status",
            new JsonObject { ["status"] = System.Text.Json.JsonSerializer.SerializeToNode(status, ResourceJson.Options) });
        return name;
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
}
