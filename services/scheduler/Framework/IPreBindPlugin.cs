namespace Platform.Scheduler.Framework;

/// <summary>Runs in the bind worker before the pod is bound (kube-scheduler's PreBind): what must be written first, such as a claim's selected node.</summary>
internal interface IPreBindPlugin : IPlugin
{
    Task<Status> PreBindAsync(CycleState state, PodInfo pod, string nodeName, CancellationToken cancellationToken);
}
