using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.History;
using Platform.ControllerManager.Informers;
using STS = Platform.Contracts.Resources.StatefulSet;

namespace Platform.ControllerManager.Controllers.StatefulSet;

/// <summary>
/// Kubernetes' statefulset controller: pods <c>&lt;set&gt;-0</c> to <c>&lt;set&gt;-(replicas-1)</c> with stable
/// names and DNS identity (<see cref="StatefulPods"/>). OrderedReady creates them in order, each only once the ones
/// before are Running and Ready, and removes surplus ones from the highest ordinal, one at a time; Parallel does both
/// at once. A template change is rolled out from the highest ordinal down to <c>partition</c>, one pod at a time
/// (RollingUpdate), or waits for pods to be deleted (OnDelete). Pod names are the expectations: creating one twice is a
/// 409, deleting one twice a 404, so a lagging cache cannot double anything.
/// </summary>
internal sealed partial class StatefulSetController : Controller
{
    private readonly EventRecorder _events;
    private readonly RevisionHistory _history;

    public StatefulSetController(ClusterInformers informers, ApiClient api, EventRecorder events, IOptions<ControllerManagerOptions> options, TimeProvider time, ILogger<StatefulSetController> logger)
        : base(informers, api, options, time, logger)
    {
        _events = events;
        _history = new RevisionHistory(informers, api);
        informers.StatefulSets.OnChange((old, now) => Queue.Add(ObjectKeys.KeyOf(now ?? old!)));
        informers.Pods.OnChange((old, now) => EnqueueOwner(now ?? old!));
        informers.ControllerRevisions.OnChange((old, now) => EnqueueOwner(now ?? old!));
        // A claim of a set that went away (or is going) lets the pod waiting for it be made.
        informers.PersistentVolumeClaims.OnChange((old, now) => { if (now is null) foreach (var set in Informers.StatefulSets.List(old!.Metadata.Namespace!)) Queue.Add(ObjectKeys.KeyOf(set)); });
    }

    protected override string Name => "statefulset";

    protected override IEnumerable<string> AllKeys() => Informers.StatefulSets.List().Select(ObjectKeys.KeyOf);

    private void EnqueueOwner(Resource r)
    {
        if (PodFacts.ControllerOf(r) is { Kind: "StatefulSet" } owner) Queue.Add($"{r.Metadata.Namespace}/{owner.Name}");
    }

    /// <summary>The set's pods by ordinal: those below replicas, and the condemned ones above, highest first.</summary>
    private sealed record Slots(Pod?[] Replicas, List<Pod> Condemned);

    protected override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        var set = Informers.StatefulSets.Get(key);
        if (set is null || set.Metadata.DeletionTimestamp is not null || Selector.FromLabelSelector(set.Spec.Selector).IsEmpty) return;
        var revisions = _history.Owned(set);
        var update = await _history.EnsureAsync(set, set.Spec.Template, set.Status?.CollisionCount ?? 0, revisions, ct);
        if (update is null)
        {
            await _history.CollisionAsync(ResourceKinds.StatefulSet, set, set.Status?.CollisionCount ?? 0, ct);
            return;
        }
        revisions = _history.Owned(set);
        var current = revisions.FirstOrDefault(r => r.Metadata.Name == set.Status?.CurrentRevision) ?? update;
        var pods = Informers.Pods.ByIndex(Indexers.Owner, set.Metadata.Uid!).Where(p => PodFacts.ControllerOf(p)?.Uid == set.Metadata.Uid).ToList();
        var slots = SlotsOf(set, pods);
        await SyncAsync(set, slots, current, update, ct);
        await _history.PruneAsync(revisions, update,
            r => r.Metadata.Name == current.Metadata.Name || pods.Any(p => StatefulPods.RevisionOf(p) == r.Metadata.Name), set.Spec.RevisionHistoryLimit ?? 10, ct);
        await UpdateStatusAsync(set, slots, current, update, ct);
    }

    private static Slots SlotsOf(STS set, List<Pod> pods)
    {
        var replicas = new Pod?[Math.Max(0, set.Spec.Replicas ?? 1)];
        var condemned = new List<Pod>();
        foreach (var pod in pods)
        {
            var ordinal = StatefulPods.OrdinalOf(set, pod);
            if (ordinal < 0) continue;
            if (ordinal < replicas.Length) replicas[ordinal] = pod;
            else condemned.Add(pod);
        }
        condemned.Sort((a, b) => StatefulPods.OrdinalOf(set, b).CompareTo(StatefulPods.OrdinalOf(set, a)));
        return new Slots(replicas, condemned);
    }

    /// <summary>Kubernetes' updateStatefulSet: replace finished pods, create missing ones, remove condemned ones, then roll the update.</summary>
    private async Task SyncAsync(STS set, Slots slots, ControllerRevision current, ControllerRevision update, CancellationToken ct)
    {
        var ordered = set.Spec.PodManagementPolicy != "Parallel";
        var partition = set.Spec.UpdateStrategy?.Type == "OnDelete" ? -1 : set.Spec.UpdateStrategy?.RollingUpdate?.Partition ?? 0;
        for (var ordinal = 0; ordinal < slots.Replicas.Length; ordinal++)
        {
            var pod = slots.Replicas[ordinal];
            if (pod is not null && StatefulPods.HasFinished(pod) && !StatefulPods.IsTerminating(pod))
            {
                await DeletePodAsync(set, pod, ct); // recreated with its name once gone
                if (ordered) return;
                continue;
            }
            if (pod is null)
            {
                // Below the partition a pod keeps the current revision; from it up (and with OnDelete) the update revision.
                var revision = ordinal < partition ? current : update;
                await CreatePodAsync(set, revision, ordinal, ct);
                if (ordered) return;
                continue;
            }
            if (ordered && (StatefulPods.IsTerminating(pod) || !StatefulPods.IsRunningAndReady(pod))) return;
        }
        // In order, every pod below replicas is healthy by now; of the condemned, an unhealthy one blocks the scale-down
        // unless it is the lowest unhealthy one (Kubernetes' firstUnhealthyPod).
        var firstUnhealthy = slots.Condemned.LastOrDefault(p => !StatefulPods.IsRunningAndReady(p));
        foreach (var pod in slots.Condemned)
        {
            if (StatefulPods.IsTerminating(pod))
            {
                if (ordered) return;
                continue;
            }
            if (ordered && !StatefulPods.IsRunningAndReady(pod) && pod != firstUnhealthy) return;
            await CondemnClaimsAsync(set, pod, StatefulPods.OrdinalOf(set, pod), ct);
            await DeletePodAsync(set, pod, ct);
            if (ordered) return;
        }
        if (partition < 0) return; // OnDelete: pods are replaced when someone deletes them
        for (var target = slots.Replicas.Length - 1; target >= partition; target--)
        {
            var pod = slots.Replicas[target];
            if (pod is null) return;
            if (StatefulPods.RevisionOf(pod) != update.Metadata.Name && !StatefulPods.IsTerminating(pod))
            {
                await DeletePodAsync(set, pod, ct);
                return;
            }
            if (StatefulPods.IsTerminating(pod) || !StatefulPods.IsRunningAndReady(pod)) return; // one at a time
        }
    }

    private async Task CreatePodAsync(STS set, ControllerRevision revision, int ordinal, CancellationToken ct)
    {
        var template = RevisionHistory.TemplateOf(revision) ?? set.Spec.Template ?? new PodTemplateSpec();
        var pod = StatefulPods.New(set, template, revision.Metadata.Name!, ordinal);
        pod = pod with { Spec = StatefulSetClaims.WithClaimVolumes(pod.Spec, set, ordinal) };
        await EnsureClaimsAsync(set, ordinal, pod.Metadata.Name!, ct);
        try
        {
            if (await Api.CreateAsync(ResourceKinds.Pod.CollectionPath(set.Metadata.Namespace), pod, ct))
                _events.Record(set, "Normal", "SuccessfulCreate", $"create Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} successful");
        }
        catch (HttpRequestException ex)
        {
            _events.Record(set, "Warning", "FailedCreate", $"create Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} failed error: {ex.Message}");
            throw;
        }
    }

    private async Task DeletePodAsync(STS set, Pod pod, CancellationToken ct)
    {
        if (await Api.DeleteAsync(ResourceKinds.Pod.ObjectPath(pod.Metadata.Namespace, pod.Metadata.Name!), "Background", ct))
            _events.Record(set, "Normal", "SuccessfulDelete", $"delete Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} successful");
    }
}
