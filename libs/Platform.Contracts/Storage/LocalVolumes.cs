using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.Contracts.Storage;

/// <summary>
/// Local PersistentVolumes: a directory on one node, reachable only there, which the volume says with a required node
/// affinity on <c>kubernetes.io/hostname</c>. The node agents' provisioner makes them, the apiserver lets a node token
/// write only its own, the scheduler places a claim's pods on its volume's node.
/// </summary>
public static class LocalVolumes
{
    /// <summary>The node label every node agent sets to its node name.</summary>
    public const string HostnameLabel = "kubernetes.io/hostname";

    /// <summary>The node affinity that pins a volume to <paramref name="node"/>.</summary>
    public static VolumeNodeAffinity PinnedTo(string node) => new()
    {
        Required = new NodeSelector
        {
            NodeSelectorTerms = [new NodeSelectorTerm { MatchExpressions = [new NodeSelectorRequirement { Key = HostnameLabel, Operator = "In", Values = [node] }] }],
        },
    };

    /// <summary>The node a volume is pinned to by <see cref="PinnedTo"/>, or null.</summary>
    public static string? PinnedNode(PersistentVolumeSpec spec)
    {
        var terms = spec.NodeAffinity?.Required?.NodeSelectorTerms;
        if (terms is not { Count: 1 } || terms[0].MatchExpressions is not { Count: 1 } exprs || terms[0].MatchFields is { Count: > 0 }) return null;
        var e = exprs[0];
        return e is { Key: HostnameLabel, Operator: "In", Values: [var node] } ? node : null;
    }

    /// <summary>Whether the stored volume <paramref name="pv"/> is a local one pinned to <paramref name="node"/> (and only to it).</summary>
    public static bool IsPinnedTo(JsonObject pv, string? node)
    {
        if (node is null) return false;
        var volume = System.Text.Json.JsonSerializer.Deserialize<PersistentVolume>(pv, ResourceJson.Options);
        return volume?.Spec is { Local.Path.Length: > 0 } spec && PinnedNode(spec) == node;
    }
}
