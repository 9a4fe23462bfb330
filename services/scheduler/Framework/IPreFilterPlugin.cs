namespace Platform.Scheduler.Framework;

/// <summary>Runs once per pod before any node is filtered: precomputes into <see cref="CycleState"/>, or rejects the pod outright, or returns Skip.</summary>
internal interface IPreFilterPlugin : IPlugin
{
    Status PreFilter(CycleState state, PodInfo pod, IClusterView cluster);
}
