using Platform.ControllerManager.Informers;
using Platform.ApiServer.Client;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.Contracts.Resources;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using RS = Platform.Contracts.Resources.ReplicaSet;

namespace Platform.ControllerManager.Controllers.ReplicaSet;

/// <summary>
/// Keeps <c>spec.replicas</c> pods of each ReplicaSet: creates pods from the template with an ownerReference,
/// deletes surplus pods in <see cref="PodFacts.InDeletionOrder"/>, adopts matching orphans, releases pods whose labels
/// stopped matching, and writes <c>status</c> (replicas, ready, available).
/// </summary>
internal sealed partial class ReplicaSetController : Controller
{
    private const int MaxBurst = 500;
    private readonly EventRecorder _events;
    private readonly Expectations _expectations;
    private readonly ILogger _logger;

    public ReplicaSetController(ClusterInformers informers, ApiClient api, EventRecorder events, IOptions<ControllerManagerOptions> options, TimeProvider time, ILogger<ReplicaSetController> logger)
        : base(informers, api, options, time, logger)
    {
        _events = events;
        _logger = logger;
        _expectations = new Expectations(time, TimeSpan.FromMinutes(1));
        informers.ReplicaSets.OnChange((old, now) => Queue.Add(ObjectKeys.KeyOf(now ?? old!)));
        informers.Pods.OnChange(OnPodChanged);
    }

    protected override string Name => "replicaset";

    protected override IEnumerable<string> AllKeys() => Informers.ReplicaSets.List().Select(ObjectKeys.KeyOf);

    private void OnPodChanged(Pod? old, Pod? now)
    {
        var pod = now ?? old!;
        var ns = pod.Metadata.Namespace;
        var owner = PodFacts.ControllerOf(pod);
        if (owner is { Kind: "ReplicaSet" })
        {
            var key = $"{ns}/{owner.Name}";
            if (old is null) _expectations.CreationObserved(key);
            if (now is null) _expectations.DeletionObserved(key, pod.Metadata.Uid!);
            Queue.Add(key);
        }
        if (old is not null && PodFacts.ControllerOf(old) is { Kind: "ReplicaSet" } before && before.Name != owner?.Name) Queue.Add($"{ns}/{before.Name}");
        if (owner is null && now is not null)
            foreach (var rs in Informers.ReplicaSets.List(ns!))
                if (Selector.FromLabelSelector(rs.Spec.Selector).Matches(now.Metadata.Labels)) Queue.Add(ObjectKeys.KeyOf(rs));
    }

    protected override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        var rs = Informers.ReplicaSets.Get(key);
        if (rs is null)
        {
            _expectations.Delete(key);
            return;
        }
        var selector = Selector.FromLabelSelector(rs.Spec.Selector);
        if (selector.IsEmpty) return; // the apiserver rejects these; nothing sane to do
        // As in client-go's syncReplicaSet: check the expectations before reading the pods. A pod the cache applies
        // in between then counts in the list too; checked after, the list could miss pods the check saw and the
        // difference would be created (or deleted) a second time.
        var satisfied = _expectations.Satisfied(key);
        var owned = await ClaimPodsAsync(rs, selector, ct);
        if (satisfied && rs.Metadata.DeletionTimestamp is null) await ManageReplicasAsync(key, rs, owned, ct);
        await UpdateStatusAsync(rs, owned, ct);
    }

    /// <summary>Owned active pods after adopting matching orphans and releasing owned pods that no longer match.</summary>
    private async Task<List<Pod>> ClaimPodsAsync(RS rs, Selector selector, CancellationToken ct)
    {
        var owned = new List<Pod>();
        foreach (var pod in Informers.Pods.List(rs.Metadata.Namespace!).Where(PodFacts.IsActive))
        {
            var owner = PodFacts.ControllerOf(pod);
            var matches = selector.Matches(pod.Metadata.Labels);
            if (owner?.Uid == rs.Metadata.Uid)
            {
                if (matches) owned.Add(pod);
                else await SetOwnersAsync(pod, pod.Metadata.OwnerReferences!.Where(o => o.Uid != rs.Metadata.Uid).ToList(), ct);
            }
            else if (owner is null && matches && rs.Metadata.DeletionTimestamp is null)
            {
                if (await SetOwnersAsync(pod, [.. pod.Metadata.OwnerReferences ?? [], OwnerRef(rs)], ct)) owned.Add(pod);
            }
        }
        return owned;
    }

    private async Task<bool> SetOwnersAsync(Pod pod, List<OwnerReference> owners, CancellationToken ct)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = pod.Metadata.ResourceVersion, // precondition: adopt only what we looked at
                ["ownerReferences"] = JsonSerializer.SerializeToNode(owners, ResourceJson.Options),
            },
        };
        return await Api.MergePatchAsync(ResourceKinds.Pod.ObjectPath(pod.Metadata.Namespace, pod.Metadata.Name!), patch, ct);
    }

    public static OwnerReference OwnerRef(Resource owner) => new()
    {
        ApiVersion = owner.ApiVersion ?? "apps/v1",
        Kind = owner.Kind,
        Name = owner.Metadata.Name,
        Uid = owner.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    private async Task ManageReplicasAsync(string key, RS rs, List<Pod> owned, CancellationToken ct)
    {
        var desired = rs.Spec.Replicas ?? 1;
        var diff = owned.Count - desired;
        if (diff < 0)
        {
            var count = Math.Min(-diff, MaxBurst);
            _expectations.ExpectCreations(key, count);
            var created = await SlowStartCreateAsync(key, rs, count, ct);
            if (created < count) throw new InvalidOperationException($"created {created} of {count} pods");
        }
        else if (diff > 0)
        {
            var victims = PodFacts.InDeletionOrder(owned).Take(Math.Min(diff, MaxBurst)).ToList();
            _expectations.ExpectDeletions(key, victims.Select(p => p.Metadata.Uid!));
            foreach (var pod in victims)
            {
                if (!await Api.DeleteAsync(ResourceKinds.Pod.ObjectPath(pod.Metadata.Namespace, pod.Metadata.Name!), "Background", ct))
                    _expectations.DeletionObserved(key, pod.Metadata.Uid!);
                _events.Record(rs, "Normal", "SuccessfulDelete", $"Deleted pod: {pod.Metadata.Name}");
            }
        }
    }

    /// <summary>Creates in batches of 1, 2, 4 ... (<see cref="SlowStart"/>); after a failure the rest are not waited for.</summary>
    private async Task<int> SlowStartCreateAsync(string key, RS rs, int count, CancellationToken ct)
    {
        var run = await SlowStart.RunAsync(count, _ => CreatePodAsync(key, rs, ct));
        _expectations.CreationsNotAttempted(key, run.NotAttempted);
        return run.Succeeded;
    }

    private async Task<bool> CreatePodAsync(string key, RS rs, CancellationToken ct)
    {
        var template = rs.Spec.Template!;
        var pod = new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta
            {
                GenerateName = rs.Metadata.Name + "-",
                Namespace = rs.Metadata.Namespace,
                Labels = template.Metadata?.Labels,
                Annotations = template.Metadata?.Annotations,
                OwnerReferences = [OwnerRef(rs)],
            },
            Spec = template.Spec ?? new PodSpec(),
        };
        try
        {
            var created = await Api.CreateReturningAsync(ResourceKinds.Pod.CollectionPath(rs.Metadata.Namespace), pod, ct);
            _events.Record(rs, "Normal", "SuccessfulCreate", $"Created pod: {created.Metadata.Name}");
            return true;
        }
        catch (HttpRequestException ex)
        {
            _expectations.CreationFailed(key);
            _events.Record(rs, "Warning", "FailedCreate", $"Error creating: {ex.Message}");
            return false;
        }
    }

    private async Task UpdateStatusAsync(RS rs, List<Pod> owned, CancellationToken ct)
    {
        var now = Time.GetUtcNow();
        var minReady = rs.Spec.MinReadySeconds ?? 0;
        var templateLabels = rs.Spec.Template?.Metadata?.Labels ?? [];
        var status = new ReplicaSetStatus
        {
            Replicas = owned.Count,
            FullyLabeledReplicas = owned.Count(p => templateLabels.All(l => p.Metadata.Labels?.GetValueOrDefault(l.Key) == l.Value)),
            ReadyReplicas = owned.Count(PodFacts.IsReady),
            AvailableReplicas = owned.Count(p => PodFacts.IsAvailable(p, minReady, now)),
            ObservedGeneration = rs.Metadata.Generation,
            Conditions = rs.Status?.Conditions,
        };
        if (status.ReadyReplicas != status.AvailableReplicas) Queue.AddAfter(ObjectKeys.KeyOf(rs), TimeSpan.FromSeconds(Math.Max(1, minReady)));
        if (status == rs.Status || rs.Status is { } s && s with { Conditions = null } == status with { Conditions = null }) return;
        await Api.PatchStatusAsync(ResourceKinds.ReplicaSet, rs, JsonSerializer.SerializeToNode(status, ResourceJson.Options)!, ct);
    }
}
