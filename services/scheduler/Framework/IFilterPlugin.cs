namespace Platform.Scheduler.Framework;

/// <summary>Whether <paramref name="node"/> can run <paramref name="pod"/>; the reasons of a rejection go into FailedScheduling.</summary>
internal interface IFilterPlugin : IPlugin
{
    Status Filter(CycleState state, PodInfo pod, NodeInfo node);
}
