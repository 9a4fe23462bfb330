namespace Platform.Scheduler.Framework;

/// <summary>Runs when no node passed the filters (kube-scheduler's preemption lives here); may name a node that would fit after its actions.</summary>
internal interface IPostFilterPlugin : IPlugin
{
    /// <param name="nodes">Takes pods off a node and puts them back, keeping the cycle's state true, and runs the profile's filters there (what preemption re-runs with victims removed).</param>
    PostFilterResult PostFilter(CycleState state, PodInfo pod, Diagnosis diagnosis, IClusterView cluster, NodeSimulation nodes);
}
