namespace Platform.Scheduler.Framework;

/// <summary>Makes the decision durable. The first bind plugin that does not return Skip binds the pod.</summary>
internal interface IBindPlugin : IPlugin
{
    Task<Status> BindAsync(PodInfo pod, string nodeName, CancellationToken cancellationToken);
}
