using Platform.Contracts.Resources;

namespace Platform.Scheduler.Framework;

/// <summary>What a scheduling cycle sees: nodes in a stable order and the assigned (bound or assumed) pods, indexed by label.</summary>
internal interface IClusterView
{
    IReadOnlyList<NodeInfo> Nodes { get; }
    NodeInfo? GetNode(string name);
    /// <summary>Assigned pods whose labels match <paramref name="selector"/> (found through a label index, not a scan when the selector has an equality).</summary>
    IEnumerable<PodInfo> PodsMatching(Selector selector);
    /// <summary>Assigned pods with required pod anti-affinity (they can reject the incoming pod).</summary>
    IReadOnlyCollection<PodInfo> PodsWithRequiredAntiAffinity { get; }
    /// <summary>Assigned pods with preferred pod affinity or anti-affinity terms (they score the incoming pod).</summary>
    IReadOnlyCollection<PodInfo> PodsWithPreferredAffinity { get; }
}
