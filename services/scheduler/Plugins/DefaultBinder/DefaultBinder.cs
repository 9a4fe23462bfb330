using Platform.ApiServer.Client;

namespace Platform.Scheduler.Plugins.DefaultBinder;

/// <summary>
/// Binds through the apiserver: many pods at once in its batch call, else <c>pods/binding</c> (<see cref="BindingBatcher"/>).
/// An already-bound or vanished pod is not worth a retry.
/// </summary>
internal sealed class DefaultBinder(BindingBatcher batcher) : IBindPlugin
{
    public const string PluginName = "DefaultBinder";

    public string Name => PluginName;

    public async Task<Status> BindAsync(PodInfo pod, string nodeName, CancellationToken cancellationToken) =>
        await batcher.BindAsync(pod.Namespace, pod.Name, nodeName, cancellationToken) switch
        {
            (BindOutcome.Bound, _) => Status.Success,
            (BindOutcome.AlreadyBound, _) => Status.Unresolvable($"pod {pod.Key} is already bound"),
            (BindOutcome.NotFound, _) => Status.Error($"binding {pod.Key} to {nodeName}: the pod or the node no longer exists"),
            (_, var message) => Status.Error($"binding {pod.Key} to {nodeName} was refused: {message}"),
        };
}
