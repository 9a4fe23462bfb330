using Platform.ControllerManager.Informers;
using Platform.ApiServer.Client;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.Contracts.Resources;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;

namespace Platform.ControllerManager.Controllers.GarbageCollector;

/// <summary>
/// Removes dependents whose owners are gone. The apiserver already cascades a delete through ownerReferences
/// (background, foreground, orphan) in its transaction; this controller catches what a cascade cannot see, such as a
/// pod created by a ReplicaSet a moment after that ReplicaSet was deleted, or an EndpointSlice written for a Service being deleted. An owner missing from the cache is checked
/// against the apiserver before anything is deleted; a dependent with some owners left only loses the dangling references.
/// </summary>
internal sealed partial class GarbageCollector : Controller
{
    private readonly ILogger _logger;

    public GarbageCollector(ClusterInformers informers, ApiClient api, IOptions<ControllerManagerOptions> options, TimeProvider time, ILogger<GarbageCollector> logger)
        : base(informers, api, options, time, logger)
    {
        _logger = logger;
        informers.Pods.OnChange((old, now) => OnChanged(ResourceKinds.Pod, old, now));
        informers.ReplicaSets.OnChange((old, now) => OnChanged(ResourceKinds.ReplicaSet, old, now));
        informers.Deployments.OnChange((old, now) => OnChanged(ResourceKinds.Deployment, old, now));
        informers.Services.OnChange((old, now) => OnChanged(ResourceKinds.Service, old, now));
        informers.EndpointSlices.OnChange((old, now) => OnChanged(ResourceKinds.EndpointSlice, old, now));
        informers.Endpoints.OnChange((old, now) => OnChanged(ResourceKinds.Endpoints, old, now));
        informers.Jobs.OnChange((old, now) => OnChanged(ResourceKinds.Job, old, now));
        informers.CronJobs.OnChange((old, now) => OnChanged(ResourceKinds.CronJob, old, now));
        informers.DaemonSets.OnChange((old, now) => OnChanged(ResourceKinds.DaemonSet, old, now));
        informers.StatefulSets.OnChange((old, now) => OnChanged(ResourceKinds.StatefulSet, old, now));
        informers.ControllerRevisions.OnChange((old, now) => OnChanged(ResourceKinds.ControllerRevision, old, now));
        informers.PersistentVolumeClaims.OnChange((old, now) => OnChanged(ResourceKinds.PersistentVolumeClaim, old, now));
    }

    protected override string Name => "garbage-collector";

    protected override IEnumerable<string> AllKeys() =>
        Informers.Pods.List().Where(HasOwners).Select(p => Key(ResourceKinds.Pod, p))
            .Concat(Informers.ReplicaSets.List().Where(HasOwners).Select(r => Key(ResourceKinds.ReplicaSet, r)))
            .Concat(Informers.EndpointSlices.List().Where(HasOwners).Select(s => Key(ResourceKinds.EndpointSlice, s)))
            .Concat(Informers.Endpoints.List().Where(HasOwners).Select(e => Key(ResourceKinds.Endpoints, e)))
            .Concat(Informers.Jobs.List().Where(HasOwners).Select(j => Key(ResourceKinds.Job, j)))
            .Concat(Informers.ControllerRevisions.List().Where(HasOwners).Select(r => Key(ResourceKinds.ControllerRevision, r)))
            .Concat(Informers.PersistentVolumeClaims.List().Where(HasOwners).Select(c => Key(ResourceKinds.PersistentVolumeClaim, c)));

    private static bool HasOwners(Resource r) => r.Metadata.OwnerReferences is { Count: > 0 };

    private static string Key(ResourceKind kind, Resource r) => $"{kind.Plural}|{r.Metadata.Namespace}/{r.Metadata.Name}";

    private void OnChanged(ResourceKind kind, Resource? old, Resource? now)
    {
        if (now is not null && HasOwners(now) && now.Metadata.OwnerReferences!.Any(o => Owner(now.Metadata.Namespace!, o) is null)) Queue.Add(Key(kind, now));
        if (now is null && old is not null)
        {
            // An owner went away: look at everything that named it.
            var uid = old.Metadata.Uid ?? "";
            foreach (var rs in Informers.ReplicaSets.ByIndex(Indexers.Owner, uid)) Queue.Add(Key(ResourceKinds.ReplicaSet, rs));
            foreach (var pod in Informers.Pods.ByIndex(Indexers.Owner, uid)) Queue.Add(Key(ResourceKinds.Pod, pod));
            foreach (var slice in Informers.EndpointSlices.ByIndex(Indexers.Owner, uid)) Queue.Add(Key(ResourceKinds.EndpointSlice, slice));
            foreach (var ep in Informers.Endpoints.ByIndex(Indexers.Owner, uid)) Queue.Add(Key(ResourceKinds.Endpoints, ep));
            foreach (var job in Informers.Jobs.ByIndex(Indexers.Owner, uid)) Queue.Add(Key(ResourceKinds.Job, job));
            foreach (var cr in Informers.ControllerRevisions.ByIndex(Indexers.Owner, uid)) Queue.Add(Key(ResourceKinds.ControllerRevision, cr));
            foreach (var claim in Informers.PersistentVolumeClaims.ByIndex(Indexers.Owner, uid)) Queue.Add(Key(ResourceKinds.PersistentVolumeClaim, claim));
        }
    }

    private Resource? Owner(string ns, OwnerReference o)
    {
        Resource? owner = o.Kind switch
        {
            "ReplicaSet" => Informers.ReplicaSets.Get($"{ns}/{o.Name}"),
            "Deployment" => Informers.Deployments.Get($"{ns}/{o.Name}"),
            "Service" => Informers.Services.Get($"{ns}/{o.Name}"),
            "Job" => Informers.Jobs.Get($"{ns}/{o.Name}"),
            "CronJob" => Informers.CronJobs.Get($"{ns}/{o.Name}"),
            "DaemonSet" => Informers.DaemonSets.Get($"{ns}/{o.Name}"),
            "StatefulSet" => Informers.StatefulSets.Get($"{ns}/{o.Name}"),
            "Pod" => Informers.Pods.Get($"{ns}/{o.Name}"),
            _ => null,
        };
        return owner?.Metadata.Uid == o.Uid ? owner : null;
    }

    protected override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        var (plural, name) = (key[..key.IndexOf('|')], key[(key.IndexOf('|') + 1)..]);
        (ResourceKind kind, Resource? item) = plural switch
        {
            "pods" => (ResourceKinds.Pod, (Resource?)Informers.Pods.Get(name)),
            "endpointslices" => (ResourceKinds.EndpointSlice, Informers.EndpointSlices.Get(name)),
            "endpoints" => (ResourceKinds.Endpoints, Informers.Endpoints.Get(name)),
            "jobs" => (ResourceKinds.Job, Informers.Jobs.Get(name)),
            "controllerrevisions" => (ResourceKinds.ControllerRevision, Informers.ControllerRevisions.Get(name)),
            "persistentvolumeclaims" => (ResourceKinds.PersistentVolumeClaim, Informers.PersistentVolumeClaims.Get(name)),
            _ => (ResourceKinds.ReplicaSet, Informers.ReplicaSets.Get(name)),
        };
        if (item?.Metadata.OwnerReferences is not { Count: > 0 } owners) return;
        var ns = item.Metadata.Namespace!;
        var dangling = new List<OwnerReference>();
        foreach (var o in owners)
            if (Owner(ns, o) is null && !await OwnerExistsAsync(ns, o, ct)) dangling.Add(o);
        if (dangling.Count == 0) return;
        var path = kind.ObjectPath(ns, item.Metadata.Name!);
        if (dangling.Count == owners.Count)
        {
            if (await Api.DeleteAsync(path, "Background", ct)) Collected(kind.Kind, name, string.Join(',', dangling.Select(d => d.Name)));
            return;
        }
        var keep = owners.Where(o => !dangling.Contains(o)).ToList();
        await Api.MergePatchAsync(path, new JsonObject { ["metadata"] = new JsonObject { ["ownerReferences"] = JsonSerializer.SerializeToNode(keep, ResourceJson.Options) } }, ct);
    }

    /// <summary>The authoritative answer, for owners the cache does not hold (cache lag, or kinds it does not follow).</summary>
    private async Task<bool> OwnerExistsAsync(string ns, OwnerReference o, CancellationToken ct)
    {
        var kind = ResourceKinds.ByApiVersionKind(o.ApiVersion, o.Kind);
        if (kind is null || o.Name is null) return true; // unknown kinds are never collected
        var owner = await Api.GetAsync<JsonObject>(kind.ObjectPath(kind.Namespaced ? ns : null, o.Name), ct);
        return owner is not null && (string?)owner["metadata"]?["uid"] == o.Uid;
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "collected {Kind} {Name}: owner {Owners} is gone")]
    private partial void Collected(string kind, string name, string owners);
}
