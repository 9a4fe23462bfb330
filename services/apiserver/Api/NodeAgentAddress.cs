using System.Text.Json;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Resources;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Api;

/// <summary>
/// Where the node agent of a pod's node listens, from the Node's <c>status.addresses</c> (InternalIP first) and
/// <c>status.daemonEndpoints.kubeletEndpoint.Port</c>, as kube-apiserver finds a kubelet. Shared by the subresources
/// the apiserver serves through the agent (<c>pods/log</c>, <c>pods/portforward</c>).
/// </summary>
internal static class NodeAgentAddress
{
    private static readonly Caller System = new("system:apiserver", Role.Admin, null, null);

    /// <summary><c>host:port</c> of the agent running <paramref name="pod"/>; 400 when unscheduled, 503 when the node does not say.</summary>
    public static async Task<(string NodeName, string Authority)> OfAsync(ResourceService resources, Pod pod, CancellationToken ct)
    {
        if (pod.Spec.NodeName is not { Length: > 0 } nodeName)
            throw ApiProblem.BadRequest("spec.nodeName", $"pod {pod.Metadata.Name} is not scheduled to a node");
        Node node;
        try
        {
            node = (await resources.GetAsync(System, ResourceKinds.Node, null, nodeName, ct)).Body.Deserialize<Node>(ResourceJson.Options)!;
        }
        catch (ApiProblem p) when (p.Status == 404)
        {
            throw new ApiProblem(503, "ServiceUnavailable", $"node \"{nodeName}\" of pod \"{pod.Metadata.Name}\" is not registered");
        }
        var address = node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address ?? node.Status?.Addresses?.FirstOrDefault()?.Address;
        var port = node.Status?.DaemonEndpoints?.KubeletEndpoint?.Port ?? 0;
        if (address is null || port is <= 0 or > 65535)
            throw new ApiProblem(503, "ServiceUnavailable",
                $"node \"{nodeName}\" does not advertise its agent (status.addresses InternalIP and status.daemonEndpoints.kubeletEndpoint.Port)");
        return (nodeName, new UriBuilder(Uri.UriSchemeHttp, address, port).Uri.Authority);
    }

    /// <summary>Whether the agent knows the pod by name only: a static pod's containers carry its own uid, not the mirror's.</summary>
    public static bool IsMirror(Pod pod) => pod.Metadata.Annotations?.ContainsKey("kubernetes.io/config.mirror") == true;
}
