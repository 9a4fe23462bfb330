namespace Platform.Scheduler.Framework;

/// <summary>Runs when no node passed the filters (kube-scheduler's preemption lives here); may name a node that would fit after its actions.</summary>
internal interface IPostFilterPlugin : IPlugin
{
    /// <param name="filter">The profile's filters for this pod on a node (what preemption re-runs with victims removed).</param>
    PostFilterResult PostFilter(CycleState state, PodInfo pod, Diagnosis diagnosis, IClusterView cluster, Func<NodeInfo, Status> filter);
}
