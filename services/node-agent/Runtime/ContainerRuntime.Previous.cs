using Docker.DotNet.Models;

namespace Platform.NodeAgent.Runtime;

internal sealed partial class ContainerRuntime
{
    /// <summary>
    /// Removes the exited containers of one pod's container except <paramref name="keep"/>: like kubelet, the agent
    /// keeps the last dead container so <c>logs --previous</c> can read it, and no more.
    /// </summary>
    public async Task RemoveExitedExceptAsync(string nodeName, string podUid, string container, string keep, CancellationToken ct)
    {
        var list = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool>
                {
                    [$"{ContainerLabels.Node}={nodeName}"] = true,
                    [$"{ContainerLabels.PodUid}={podUid}"] = true,
                    [$"{ContainerLabels.Container}={container}"] = true,
                },
                ["status"] = new Dictionary<string, bool> { ["exited"] = true, ["created"] = true, ["dead"] = true },
            },
        }, ct);
        foreach (var c in list.Where(c => c.ID != keep)) await RemoveAsync(c.ID, ct);
    }
}
