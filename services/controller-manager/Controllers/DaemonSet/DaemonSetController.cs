using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.History;
using Platform.ControllerManager.Controllers.ReplicaSet;
using Platform.ControllerManager.Informers;
using DS = Platform.Contracts.Resources.DaemonSet;

namespace Platform.ControllerManager.Controllers.DaemonSet;

/// <summary>
/// Kubernetes' daemon controller: one pod of each DaemonSet on every node its template fits (<see cref="DaemonPods.Fit"/>),
/// following nodes as they join, leave or change labels and taints; replaces pods node by node on a template change
/// (RollingUpdate with maxUnavailable or maxSurge) or only as they are deleted (OnDelete); keeps ControllerRevisions
/// of its templates and writes <c>status</c>.
/// </summary>
internal sealed partial class DaemonSetController : Controller
{
    private readonly EventRecorder _events;
    private readonly Expectations _expectations;
    private readonly RevisionHistory _history;

    public DaemonSetController(ClusterInformers informers, ApiClient api, EventRecorder events, IOptions<ControllerManagerOptions> options, TimeProvider time, ILogger<DaemonSetController> logger)
        : base(informers, api, options, time, logger)
    {
        _events = events;
        _expectations = new Expectations(time, TimeSpan.FromMinutes(1));
        _history = new RevisionHistory(informers, api);
        informers.DaemonSets.OnChange((old, now) => Queue.Add(ObjectKeys.KeyOf(now ?? old!)));
        informers.Pods.OnChange(OnPodChanged);
        informers.ControllerRevisions.OnChange((old, now) =>
        {
            if (PodFacts.ControllerOf(now ?? old!) is { Kind: "DaemonSet" } owner) Queue.Add($"{(now ?? old!).Metadata.Namespace}/{owner.Name}");
        });
        informers.Nodes.OnChange((old, now) =>
        {
            // Heartbeats change only status: a node matters here when it comes, goes, or its labels or taints change.
            if (old is not null && now is not null && SameScheduling(old, now)) return;
            foreach (var ds in Informers.DaemonSets.List()) Queue.Add(ObjectKeys.KeyOf(ds));
        });
    }

    protected override string Name => "daemonset";

    protected override IEnumerable<string> AllKeys() => Informers.DaemonSets.List().Select(ObjectKeys.KeyOf);

    private static bool SameScheduling(Node a, Node b) =>
        JsonSerializer.Serialize(a.Metadata.Labels, ResourceJson.Options) == JsonSerializer.Serialize(b.Metadata.Labels, ResourceJson.Options)
        && JsonSerializer.Serialize(a.Spec.Taints, ResourceJson.Options) == JsonSerializer.Serialize(b.Spec.Taints, ResourceJson.Options);

    private void OnPodChanged(Pod? old, Pod? now)
    {
        var pod = now ?? old!;
        if (PodFacts.ControllerOf(pod) is not { Kind: "DaemonSet" } owner) return;
        var key = $"{pod.Metadata.Namespace}/{owner.Name}";
        if (old is null) _expectations.CreationObserved(key);
        if (now is null) _expectations.DeletionObserved(key, pod.Metadata.Uid!);
        Queue.Add(key);
    }

    protected override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        var ds = Informers.DaemonSets.Get(key);
        if (ds is null)
        {
            _expectations.Delete(key);
            return;
        }
        if (ds.Metadata.DeletionTimestamp is not null || Selector.FromLabelSelector(ds.Spec.Selector).IsEmpty) return;
        var revisions = _history.Owned(ds);
        var current = await _history.EnsureAsync(ds, ds.Spec.Template, ds.Status?.CollisionCount ?? 0, revisions, ct);
        if (current is null)
        {
            await _history.CollisionAsync(ResourceKinds.DaemonSet, ds, ds.Status?.CollisionCount ?? 0, ct);
            return;
        }
        var hash = RevisionHistory.HashOf(current);
        var satisfied = _expectations.Satisfied(key);
        var pods = Informers.Pods.ByIndex(Indexers.Owner, ds.Metadata.Uid!).Where(p => PodFacts.ControllerOf(p)?.Uid == ds.Metadata.Uid).ToList();
        var nodes = Informers.Nodes.List().OrderBy(n => n.Metadata.Name, StringComparer.Ordinal).ToList();
        var byNode = nodes.ToDictionary(n => n.Metadata.Name!, n => pods.Where(p => DaemonPods.NodeOf(p) == n.Metadata.Name).OrderBy(Age).ToList());
        if (satisfied)
        {
            var plan = Manage(ds, nodes, byNode, pods, hash);
            if (ds.Spec.UpdateStrategy?.Type != "OnDelete") RollingUpdate(ds, nodes, byNode, hash, plan);
            await ExecuteAsync(key, ds, plan, hash, ct);
        }
        await _history.PruneAsync(_history.Owned(ds), current, r => pods.Any(p => p.Metadata.Labels?.GetValueOrDefault(ControllerRevision.HashLabel) == RevisionHistory.HashOf(r)),
            ds.Spec.RevisionHistoryLimit ?? 10, ct);
        await UpdateStatusAsync(ds, nodes, byNode, hash, ct);
    }

    private static (DateTimeOffset, string) Age(Pod p) => (p.Metadata.CreationTimestamp ?? DateTimeOffset.MaxValue, p.Metadata.Name ?? "");

    /// <summary>The nodes to create a pod on and the pods to delete.</summary>
    private sealed record Plan(List<string> Create, List<Pod> Delete);

    /// <summary>Kubernetes' podsShouldBeOnNode for every node, and pods whose node is gone.</summary>
    private Plan Manage(DS ds, List<Node> nodes, Dictionary<string, List<Pod>> byNode, List<Pod> pods, string hash)
    {
        var plan = new Plan([], []);
        var surge = AllowsSurge(ds);
        foreach (var node in nodes)
        {
            var (run, stay) = DaemonPods.Fit(node, ds.Spec.Template?.Spec);
            var here = byNode[node.Metadata.Name!];
            if (run && here.Count == 0)
            {
                plan.Create.Add(node.Metadata.Name!);
                continue;
            }
            var running = here.Where(p => p.Metadata.DeletionTimestamp is null).ToList();
            if (!stay)
            {
                plan.Delete.AddRange(running);
                continue;
            }
            var failed = running.Where(p => p.Status?.Phase == "Failed").ToList();
            foreach (var pod in failed) _events.Record(ds, "Warning", "FailedDaemonPod", $"Found failed daemon pod {pod.Metadata.Namespace}/{pod.Metadata.Name} on node {node.Metadata.Name}, will try to kill it");
            plan.Delete.AddRange(failed);
            running = running.Except(failed).ToList();
            if (running.Count <= 1) continue;
            if (!surge)
            {
                plan.Delete.AddRange(running.Skip(1)); // all but the oldest
                continue;
            }
            // Surging: an old and a new pod may share a node while the new one becomes available.
            var oldestNew = running.FirstOrDefault(p => HashOf(p) == hash);
            var oldestOld = running.FirstOrDefault(p => HashOf(p) != hash);
            plan.Delete.AddRange(running.Where(p => p != oldestNew && p != oldestOld));
            if (oldestNew is not null && oldestOld is not null && (!PodFacts.IsReady(oldestOld) || PodFacts.IsAvailable(oldestNew, ds.Spec.MinReadySeconds ?? 0, Time.GetUtcNow())))
                plan.Delete.Add(oldestOld);
        }
        // A node that left takes its daemon pods' reason to exist with it.
        plan.Delete.AddRange(pods.Where(p => p.Metadata.DeletionTimestamp is null && DaemonPods.NodeOf(p) is { } n && !byNode.ContainsKey(n)));
        return plan;
    }

    internal static string? HashOf(Pod p) => p.Metadata.Labels?.GetValueOrDefault(ControllerRevision.HashLabel);

    private static bool AllowsSurge(DS ds) =>
        ds.Spec.UpdateStrategy?.Type != "OnDelete" && ds.Spec.UpdateStrategy?.RollingUpdate?.MaxSurge is { } s && s.Resolve(100, roundUp: true) > 0;

    private async Task ExecuteAsync(string key, DS ds, Plan plan, string hash, CancellationToken ct)
    {
        var deletes = plan.Delete.DistinctBy(p => p.Metadata.Uid).ToList();
        var creates = plan.Create.Distinct().ToList();
        if (deletes.Count == 0 && creates.Count == 0) return;
        _expectations.Expect(key, creates.Count, deletes.Select(p => p.Metadata.Uid!));
        var run = await SlowStart.RunAsync(creates.Count, i => CreatePodAsync(key, ds, creates[i], hash, ct));
        _expectations.CreationsNotAttempted(key, run.NotAttempted);
        foreach (var pod in deletes)
        {
            if (await Api.DeleteAsync(ResourceKinds.Pod.ObjectPath(pod.Metadata.Namespace, pod.Metadata.Name!), "Background", ct))
                _events.Record(ds, "Normal", "SuccessfulDelete", $"Deleted pod: {pod.Metadata.Name}");
            else _expectations.DeletionObserved(key, pod.Metadata.Uid!);
        }
        if (run.Succeeded < creates.Count) throw new InvalidOperationException($"created {run.Succeeded} of {creates.Count} daemon pods");
    }

    private async Task<bool> CreatePodAsync(string key, DS ds, string node, string hash, CancellationToken ct)
    {
        try
        {
            var created = await Api.CreateReturningAsync(ResourceKinds.Pod.CollectionPath(ds.Metadata.Namespace), DaemonPods.New(ds, node, hash), ct);
            _events.Record(ds, "Normal", "SuccessfulCreate", $"Created pod: {created.Metadata.Name}");
            return true;
        }
        catch (HttpRequestException ex)
        {
            _expectations.CreationFailed(key);
            _events.Record(ds, "Warning", "FailedCreate", $"Error creating: {ex.Message}");
            return false;
        }
    }
}
