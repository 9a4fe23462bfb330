namespace Platform.Scheduler.Framework;

/// <summary>Told when a pod is assumed on a node (Reserve) and when that assumption is dropped because binding failed (Unreserve).</summary>
internal interface IReservePlugin : IPlugin
{
    Status Reserve(CycleState state, PodInfo pod, string nodeName);
    void Unreserve(CycleState state, PodInfo pod, string nodeName);
}
