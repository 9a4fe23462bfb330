namespace Platform.Scheduler.Framework;

/// <summary>
/// kube-scheduler's PreFilterExtensions: keeps what a plugin's PreFilter computed true while a cycle puts a pod on a
/// node that is not there (a nominated pod) or takes one off (a preemption victim). Calls come in balanced pairs, so
/// the state is as PreFilter left it once the simulation is over.
/// </summary>
internal interface IPreFilterExtensions : IPreFilterPlugin
{
    void AddPod(CycleState state, PodInfo pod, PodInfo other, NodeInfo node);
    void RemovePod(CycleState state, PodInfo pod, PodInfo other, NodeInfo node);
}
