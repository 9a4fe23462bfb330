using Platform.ApiServer.Client;

namespace Platform.Scheduler.Plugins.DefaultBinder;

/// <summary>Binds through the apiserver's <c>pods/binding</c> subresource; an already-bound or vanished pod is not worth a retry.</summary>
internal sealed class DefaultBinder(ApiClient api) : IBindPlugin
{
    public const string PluginName = "DefaultBinder";

    public string Name => PluginName;

    public async Task<Status> BindAsync(PodInfo pod, string nodeName, CancellationToken cancellationToken) =>
        await api.BindAsync(pod.Namespace, pod.Name, nodeName, cancellationToken) switch
        {
            BindOutcome.Bound => Status.Success,
            BindOutcome.AlreadyBound => Status.Unresolvable($"pod {pod.Key} is already bound"),
            _ => Status.Error($"binding {pod.Key} to {nodeName}: the pod or the node no longer exists"),
        };
}
