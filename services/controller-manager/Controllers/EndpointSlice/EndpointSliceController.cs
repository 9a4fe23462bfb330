using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Informers;

namespace Platform.ControllerManager.Controllers.EndpointSlice;

using Slice = Platform.Contracts.Resources.EndpointSlice;

/// <summary>
/// Kubernetes' EndpointSlice controller, with its endpoints-controller sibling's legacy <c>v1 Endpoints</c> mirror: for
/// each Service with a selector, slices labelled <c>kubernetes.io/service-name</c> and managed by
/// <c>endpointslice-controller.k8s.io</c>, owned by the Service, holding the matching pods with an IP (conditions
/// ready/serving/terminating, targetRef, nodeName) grouped by the ports their Service ports resolve to, at most
/// <c>ControllerManager:MaxEndpointsPerSlice</c> per slice (<see cref="SlicePlanner"/>), and the Endpoints object of the
/// same content (<see cref="EndpointsMirror"/>). Only changed objects are written. A deleted Service's slices and
/// Endpoints go with it: the apiserver cascades the delete through their owner references, and the garbage collector
/// catches any written after. The Eureka registration of ready pods stays the endpoints controller's.
/// </summary>
internal sealed partial class EndpointSliceController : Controller
{
    private readonly int _max;
    private readonly ILogger _logger;

    public EndpointSliceController(ClusterInformers informers, ApiClient api, IOptions<ControllerManagerOptions> options, TimeProvider time, ILogger<EndpointSliceController> logger)
        : base(informers, api, options, time, logger)
    {
        _max = options.Value.MaxEndpointsPerSlice;
        _logger = logger;
        informers.Services.OnChange((old, now) => Queue.Add(ObjectKeys.KeyOf(now ?? old!)));
        informers.Pods.OnChange((old, now) =>
        {
            var pod = now ?? old!;
            foreach (var svc in Informers.Services.List(pod.Metadata.Namespace!))
                if (PodFacts.SelectedBy(svc, old) || PodFacts.SelectedBy(svc, now)) Queue.Add(ObjectKeys.KeyOf(svc));
        });
        // A slice or Endpoints changed by someone else is put back.
        informers.EndpointSlices.OnChange((old, now) =>
        {
            var slice = now ?? old!;
            if (IsManaged(slice) && slice.Metadata.Labels?.GetValueOrDefault(SlicePlanner.ServiceNameLabel) is { Length: > 0 } svc)
                Queue.Add(ObjectKeys.KeyOf(slice.Metadata.Namespace, svc));
        });
        informers.Endpoints.OnChange((old, now) => Queue.Add(ObjectKeys.KeyOf(now ?? old!)));
    }

    protected override string Name => "endpointslice";

    protected override IEnumerable<string> AllKeys() => Informers.Services.List().Select(ObjectKeys.KeyOf);

    private static bool IsManaged(Slice s) => s.Metadata.Labels?.GetValueOrDefault(SlicePlanner.ManagedByLabel) == SlicePlanner.ManagedBy;

    protected override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        // Gone: the owner references take its slices and Endpoints with it.
        if (Informers.Services.Get(key) is not { Metadata.Uid: { Length: > 0 } uid } svc) return;
        var ns = svc.Metadata.Namespace!;
        var owned = Informers.EndpointSlices.ByIndex(Indexers.Owner, uid).Where(IsManaged).ToList();
        if (svc.Spec.Selector is not { Count: > 0 } || svc.Spec.Type == "ExternalName")
        {
            // Without a selector the endpoints are the user's to write; slices this controller wrote earlier go.
            foreach (var slice in owned) await DeleteAsync(slice, ct);
            return;
        }
        var desired = DesiredEndpoints.For(svc, Informers.Pods.List(ns).Where(p => PodFacts.SelectedBy(svc, p)));
        var plan = SlicePlanner.Plan(svc, owned, desired, _max);
        foreach (var slice in plan.Delete) await DeleteAsync(slice, ct);
        foreach (var slice in plan.Update)
        {
            // A stale resourceVersion is a 409: the key is retried once the cache has caught up.
            if (await Api.ReplaceAsync(ResourceKinds.EndpointSlice.ObjectPath(ns, slice.Metadata.Name!), slice, ct) is null)
                throw new InvalidOperationException($"endpointslice {ns}/{slice.Metadata.Name} is gone; the cache is behind");
            Wrote("updated", ns, slice.Metadata.Name!, slice.Endpoints?.Count ?? 0);
        }
        foreach (var slice in plan.Create)
        {
            if (!await Api.CreateAsync(ResourceKinds.EndpointSlice.CollectionPath(ns), slice, ct))
                throw new InvalidOperationException($"endpointslice {ns}/{slice.Metadata.Name} already exists; the cache is behind");
            Wrote("created", ns, slice.Metadata.Name!, slice.Endpoints?.Count ?? 0);
        }
        await MirrorAsync(svc, desired, ct);
    }

    private async Task MirrorAsync(Service svc, List<DesiredEndpoint> desired, CancellationToken ct)
    {
        var ns = svc.Metadata.Namespace!;
        var current = Informers.Endpoints.Get(ns, svc.Metadata.Name!);
        var next = EndpointsMirror.Build(svc, desired, current);
        if (current is null)
        {
            if (!await Api.CreateAsync(ResourceKinds.Endpoints.CollectionPath(ns), next, ct))
                throw new InvalidOperationException($"endpoints {ns}/{svc.Metadata.Name} already exists; the cache is behind");
        }
        else if (!EndpointsMirror.Same(current, next))
        {
            if (await Api.ReplaceAsync(ResourceKinds.Endpoints.ObjectPath(ns, svc.Metadata.Name!), next, ct) is null)
                throw new InvalidOperationException($"endpoints {ns}/{svc.Metadata.Name} is gone; the cache is behind");
        }
    }

    private async Task DeleteAsync(Slice slice, CancellationToken ct)
    {
        await Api.DeleteAsync(ResourceKinds.EndpointSlice.ObjectPath(slice.Metadata.Namespace, slice.Metadata.Name!), "Background", ct);
        Wrote("deleted", slice.Metadata.Namespace!, slice.Metadata.Name!, 0);
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Debug, Message = "endpointslice {Namespace}/{Name} {Change} ({Endpoints} endpoints)")]
    private partial void Wrote(string change, string @namespace, string name, int endpoints);
}
