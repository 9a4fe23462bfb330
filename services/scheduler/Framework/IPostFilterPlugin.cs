namespace Platform.Scheduler.Framework;

/// <summary>Runs when no node passed the filters (kube-scheduler's preemption lives here); may name a node that would fit after its actions.</summary>
internal interface IPostFilterPlugin : IPlugin
{
    (Status Status, string? NominatedNode) PostFilter(CycleState state, PodInfo pod, Diagnosis diagnosis, IClusterView cluster);
}
