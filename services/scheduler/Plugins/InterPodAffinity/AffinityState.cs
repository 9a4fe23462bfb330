namespace Platform.Scheduler.Plugins.InterPodAffinity;

/// <summary>What PreFilter found: domains existing pods' anti-affinity forbids, and the incoming pod's matches per domain.</summary>
internal sealed class AffinityState
{
    /// <summary>Domains where an assigned pod has a required anti-affinity term matching the incoming pod.</summary>
    public TopologyCounts ExistingAntiAffinity { get; } = new();
    /// <summary>Assigned pods matching all of the incoming pod's required affinity terms, per domain of each term.</summary>
    public TopologyCounts Affinity { get; } = new();
    /// <summary>Assigned pods matching each of the incoming pod's required anti-affinity terms, per domain.</summary>
    public TopologyCounts AntiAffinity { get; } = new();
}
