using System.Text.Json;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Resources;
using Platform.Contracts.Resources;
using Role = Platform.ApiServer.Auth.Role;

namespace Platform.ApiServer.Api;

/// <summary>
/// What the pod subresources served by node agents (<c>log</c>, <c>exec</c>, <c>attach</c>) share: which of the pod's
/// containers a request means, and where the agent of the pod's node answers.
/// </summary>
internal static class PodAgent
{
    private static readonly Caller System = new("system:apiserver", Role.Admin, null, null);

    /// <summary>The pod's node and its agent's base address (<c>http://{InternalIP}:{kubeletEndpoint.Port}</c>).</summary>
    public static async Task<(string NodeName, Uri Address)> LocateAsync(ResourceService resources, Pod pod, CancellationToken ct)
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
        return (nodeName, AddressOf(node));
    }

    /// <summary>The node's agent: <c>http://{InternalIP}:{kubeletEndpoint.Port}</c>, or a 503 when the node does not advertise it.</summary>
    public static Uri AddressOf(Node node)
    {
        var address = node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address ?? node.Status?.Addresses?.FirstOrDefault()?.Address;
        var port = node.Status?.DaemonEndpoints?.KubeletEndpoint?.Port ?? 0;
        if (address is null || port is <= 0 or > 65535)
            throw new ApiProblem(503, "ServiceUnavailable",
                $"node \"{node.Metadata.Name}\" does not advertise its agent (status.addresses InternalIP and status.daemonEndpoints.kubeletEndpoint.Port)");
        return new UriBuilder(Uri.UriSchemeHttp, address, port).Uri;
    }

    /// <summary>
    /// The pod's uid for the agent's <c>podUID</c>, so a same-named newer pod is never confused with this one; null for
    /// a mirror pod, whose uid is the apiserver's while its containers carry the static pod's own (kubelet's too): a
    /// static pod's name is unique on its node, so the agent finds it by name.
    /// </summary>
    public static string? AgentUid(Pod pod) =>
        pod.Metadata.Annotations?.ContainsKey(Authorizer.MirrorAnnotation) == true ? null : pod.Metadata.Uid;

    /// <summary>The container named by <c>?container=</c>, or the only one; kubectl's messages otherwise.</summary>
    public static string ContainerOf(Pod pod, string? requested)
    {
        var names = pod.Spec.Containers.Select(c => c.Name!).ToList();
        var init = pod.Spec.InitContainers?.Select(c => c.Name!).ToList() ?? [];
        if (requested is null)
        {
            if (names.Count == 1) return names[0];
            var choices = $"a container name must be specified for pod {pod.Metadata.Name}, choose one of: [{string.Join(' ', names)}]"
                + (init.Count > 0 ? $" or one of the init containers: [{string.Join(' ', init)}]" : "");
            throw ApiProblem.BadRequest("container", choices);
        }
        if (names.Contains(requested) || init.Contains(requested)) return requested;
        throw ApiProblem.BadRequest("container", $"container {Short(requested)} is not valid for pod {pod.Metadata.Name} (choose one of: [{string.Join(' ', names.Concat(init))}])");
    }

    public static string Short(string s) => s.Length > 64 ? s[..64] + "..." : s;
}
