using Platform.Contracts.Resources;

namespace Platform.Scheduler.Framework;

/// <summary>What a scheduling cycle sees: nodes in a stable order and the assigned (bound or assumed) pods, indexed by label.</summary>
internal interface IClusterView
{
    IReadOnlyList<NodeInfo> Nodes { get; }
    NodeInfo? GetNode(string name);
    /// <summary>The values node label <paramref name="key"/> takes over all nodes (topology domains), kept up to date as nodes change.</summary>
    IReadOnlyCollection<string> TopologyValues(string key);
    /// <summary>Assigned pods whose labels match <paramref name="selector"/> (found through a label index, not a scan when the selector has an equality).</summary>
    IEnumerable<PodInfo> PodsMatching(Selector selector);
    /// <summary>Required anti-affinity terms of assigned pods that match <paramref name="pod"/> (they can reject it), found through an index.</summary>
    IEnumerable<(PodInfo Owner, AffinityTerm Term)> RequiredAntiAffinityTermsMatching(PodInfo pod);
    /// <summary>Assigned pods with preferred pod affinity or anti-affinity terms (they score the incoming pod).</summary>
    IReadOnlyCollection<PodInfo> PodsWithPreferredAffinity { get; }
    /// <summary>Pending pods nominated to <paramref name="node"/> by a preemption, waiting for their victims to go.</summary>
    IReadOnlyCollection<PodInfo> NominatedPods(string node);
    /// <summary>The node the pod is nominated to, if any.</summary>
    string? NominatedNodeOf(string podKey);
}
