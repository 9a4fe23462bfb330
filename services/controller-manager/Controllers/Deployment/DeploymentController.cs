using Platform.ControllerManager.Informers;
using Platform.ApiServer.Client;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.ReplicaSet;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using RS = Platform.Contracts.Resources.ReplicaSet;
using Dep = Platform.Contracts.Resources.Deployment;

namespace Platform.ControllerManager.Controllers.Deployment;

/// <summary>
/// Rolls Deployments out through ReplicaSets named by their template hash: RollingUpdate (maxSurge/maxUnavailable)
/// or Recreate, revision annotations, history cleanup (revisionHistoryLimit), pause, rollback on request
/// (<see cref="Revisions.RollbackTo"/>), progressDeadlineSeconds and an opt-in automatic rollback.
/// </summary>
internal sealed partial class DeploymentController : Controller
{
    private readonly EventRecorder _events;
    private readonly ILogger _logger;

    public DeploymentController(ClusterInformers informers, ApiClient api, EventRecorder events, IOptions<ControllerManagerOptions> options, TimeProvider time, ILogger<DeploymentController> logger)
        : base(informers, api, options, time, logger)
    {
        _events = events;
        _logger = logger;
        informers.Deployments.OnChange((old, now) => Queue.Add(ObjectKeys.KeyOf(now ?? old!)));
        informers.ReplicaSets.OnChange((old, now) => EnqueueOwner(now ?? old!));
        informers.Pods.OnChange((old, now) =>
        {
            var pod = now ?? old!;
            if (PodFacts.ControllerOf(pod) is { Kind: "ReplicaSet" } owner && Informers.ReplicaSets.Get($"{pod.Metadata.Namespace}/{owner.Name}") is { } rs)
                EnqueueOwner(rs);
        });
    }

    protected override string Name => "deployment";

    protected override IEnumerable<string> AllKeys() => Informers.Deployments.List().Select(ObjectKeys.KeyOf);

    private void EnqueueOwner(Resource rs)
    {
        if (PodFacts.ControllerOf(rs) is { Kind: "Deployment" } owner) Queue.Add($"{rs.Metadata.Namespace}/{owner.Name}");
    }

    protected override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        var d = Informers.Deployments.Get(key);
        if (d is null || d.Metadata.DeletionTimestamp is not null) return;
        var ns = d.Metadata.Namespace!;
        var owned = Informers.ReplicaSets.List(ns).Where(r => PodFacts.ControllerOf(r)?.Uid == d.Metadata.Uid).ToList();

        if (d.Metadata.Annotations?.GetValueOrDefault(Revisions.RollbackTo) is { } target)
        {
            await RollbackAsync(d, owned, target, ct);
            return;
        }
        var hash = TemplateHash.Of(d.Spec.Template);
        var newRs = owned.FirstOrDefault(r => r.Metadata.Labels?.GetValueOrDefault(TemplateHash.Label) == hash);
        var old = owned.Where(r => r != newRs).ToList();
        var changed = false;
        if (d.Spec.Paused != true)
        {
            if (newRs is null)
            {
                newRs = await CreateReplicaSetAsync(d, hash, RolloutMath.NewReplicaSetReplicas(d.Spec, owned, null), old, ct);
                changed = true;
            }
            else if (Revisions.Of(newRs) <= old.Select(Revisions.Of).DefaultIfEmpty(0).Max())
            {
                // An old template came back (rollback): its ReplicaSet becomes the newest revision.
                await SetRevisionAsync(newRs, old.Select(Revisions.Of).Max() + 1, ct);
            }
            var all = old.Append(newRs).ToList();
            changed |= d.Spec.Strategy?.Type == "Recreate" ? await RecreateAsync(d, old, newRs, ct) : await RollAsync(d, old, newRs, all, ct);
            await CleanupHistoryAsync(d, old, ct);
        }
        await DeploymentStatusWriter.WriteAsync(this, d, newRs, old, changed, ct);
    }

    internal EventRecorder Events => _events;
    internal void RequeueAfter(string key, TimeSpan delay) => Queue.AddAfter(key, delay);

    /// <summary>Available pods of a ReplicaSet as the pod cache sees them, capped by its size (surplus pods are about to go).</summary>
    internal int Available(RS rs)
    {
        var now = Time.GetUtcNow();
        var minReady = rs.Spec.MinReadySeconds ?? 0;
        var count = Informers.Pods.ByIndex(Indexers.Owner, rs.Metadata.Uid ?? "")
            .Count(p => PodFacts.IsActive(p) && PodFacts.ControllerOf(p)?.Uid == rs.Metadata.Uid && PodFacts.IsAvailable(p, minReady, now));
        return Math.Min(count, RolloutMath.Replicas(rs));
    }

    internal int ActivePods(RS rs) => Informers.Pods.ByIndex(Indexers.Owner, rs.Metadata.Uid ?? "").Count(p => PodFacts.ControllerOf(p)?.Uid == rs.Metadata.Uid && p.Metadata.DeletionTimestamp is null);

    private async Task<bool> RollAsync(Dep d, List<RS> old, RS newRs, List<RS> all, CancellationToken ct)
    {
        var replicas = d.Spec.Replicas ?? 1;
        var changed = false;
        var target = RolloutMath.Replicas(newRs) > replicas ? replicas : RolloutMath.NewReplicaSetReplicas(d.Spec, all, newRs);
        if (target != RolloutMath.Replicas(newRs))
        {
            await ScaleAsync(d, newRs, target, ct);
            newRs = newRs with { Spec = newRs.Spec with { Replicas = target } };
            changed = true;
        }
        foreach (var (rs, to) in RolloutMath.ScaleDownOld(d.Spec, old, newRs, Available))
        {
            await ScaleAsync(d, rs, to, ct);
            changed = true;
        }
        return changed;
    }

    private async Task<bool> RecreateAsync(Dep d, List<RS> old, RS newRs, CancellationToken ct)
    {
        var changed = false;
        foreach (var rs in old.Where(r => RolloutMath.Replicas(r) > 0))
        {
            await ScaleAsync(d, rs, 0, ct);
            changed = true;
        }
        if (old.Any(r => ActivePods(r) > 0)) return changed; // the old pods must be gone before new ones start
        var replicas = d.Spec.Replicas ?? 1;
        if (RolloutMath.Replicas(newRs) != replicas)
        {
            await ScaleAsync(d, newRs, replicas, ct);
            changed = true;
        }
        return changed;
    }

    private async Task<RS> CreateReplicaSetAsync(Dep d, string hash, int replicas, List<RS> old, CancellationToken ct)
    {
        if (d.Spec.Strategy?.Type == "Recreate" && old.Any(r => RolloutMath.Replicas(r) > 0 || ActivePods(r) > 0)) replicas = 0;
        var template = TemplateHash.WithLabel(d.Spec.Template!, hash);
        var selector = d.Spec.Selector ?? new LabelSelector();
        var revision = old.Select(Revisions.Of).DefaultIfEmpty(0).Max() + 1;
        var rs = new RS
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new ObjectMeta
            {
                Name = $"{d.Metadata.Name}-{hash}",
                Namespace = d.Metadata.Namespace,
                Labels = template.Metadata!.Labels,
                Annotations = new() { [Revisions.Revision] = revision.ToString(CultureInfo.InvariantCulture) },
                OwnerReferences = [ReplicaSetController.OwnerRef(d with { ApiVersion = "apps/v1", Kind = "Deployment" })],
            },
            Spec = new ReplicaSetSpec
            {
                Replicas = replicas,
                MinReadySeconds = d.Spec.MinReadySeconds,
                Selector = selector with { MatchLabels = new Dictionary<string, string>(selector.MatchLabels ?? []) { [TemplateHash.Label] = hash } },
                Template = template,
            },
        };
        var created = await Api.CreateReturningAsync(ResourceKinds.ReplicaSet.CollectionPath(d.Metadata.Namespace), rs, ct);
        _events.Record(d, "Normal", "ScalingReplicaSet", $"Scaled up replica set {rs.Metadata.Name} from 0 to {replicas}");
        Informers.ReplicaSets.Observe(created);
        return created;
    }

    private async Task ScaleAsync(Dep d, RS rs, int to, CancellationToken ct)
    {
        var from = RolloutMath.Replicas(rs);
        var patch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = to } };
        if (!await Api.MergePatchAsync(ResourceKinds.ReplicaSet.ObjectPath(rs.Metadata.Namespace, rs.Metadata.Name!), patch, ct))
            throw new InvalidOperationException($"replica set {rs.Metadata.Name} is gone");
        _events.Record(d, "Normal", "ScalingReplicaSet", $"Scaled {(to > from ? "up" : "down")} replica set {rs.Metadata.Name} from {from} to {to}");
    }

    private Task SetRevisionAsync(RS rs, long revision, CancellationToken ct) =>
        Api.MergePatchAsync(ResourceKinds.ReplicaSet.ObjectPath(rs.Metadata.Namespace, rs.Metadata.Name!),
            new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [Revisions.Revision] = revision.ToString(CultureInfo.InvariantCulture) } } }, ct);

    private async Task CleanupHistoryAsync(Dep d, List<RS> old, CancellationToken ct)
    {
        var limit = d.Spec.RevisionHistoryLimit ?? 10;
        var idle = old.Where(r => RolloutMath.Replicas(r) == 0 && (r.Status?.Replicas ?? 0) == 0).OrderBy(Revisions.Of).ToList();
        foreach (var rs in idle.Take(Math.Max(0, idle.Count - limit)))
            await Api.DeleteAsync(ResourceKinds.ReplicaSet.ObjectPath(rs.Metadata.Namespace, rs.Metadata.Name!), "Background", ct);
    }

    /// <summary>Copies the template of the requested revision (0: the one before the current) back and clears the request.</summary>
    internal async Task RollbackAsync(Dep d, List<RS> owned, string target, CancellationToken ct)
    {
        var current = owned.Select(Revisions.Of).DefaultIfEmpty(0).Max();
        var wanted = long.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0;
        var source = wanted == 0
            ? owned.Where(x => Revisions.Of(x) < current).OrderByDescending(Revisions.Of).FirstOrDefault()
            : owned.FirstOrDefault(x => Revisions.Of(x) == wanted);
        var annotations = new JsonObject { [Revisions.RollbackTo] = null };
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations } };
        if (source is null)
        {
            _events.Record(d, "Warning", "RollbackRevisionNotFound", wanted == 0 ? "Unable to find last revision" : $"Unable to find revision {wanted}");
        }
        else
        {
            patch["spec"] = new JsonObject { ["template"] = JsonSerializer.SerializeToNode(TemplateHash.WithoutLabel(source.Spec.Template!), ResourceJson.Options) };
            _events.Record(d, "Normal", "DeploymentRollback", $"Rolled back deployment \"{d.Metadata.Name}\" to revision {Revisions.Of(source)}");
        }
        await Api.MergePatchAsync(ResourceKinds.Deployment.ObjectPath(d.Metadata.Namespace, d.Metadata.Name!), patch, ct);
    }
}
