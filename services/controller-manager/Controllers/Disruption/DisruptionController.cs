using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Informers;
using PDB = Platform.Contracts.Resources.PodDisruptionBudget;

namespace Platform.ControllerManager.Controllers.Disruption;

/// <summary>
/// Kubernetes' disruption controller: keeps each PodDisruptionBudget's status (expected, healthy and desired pods,
/// <c>disruptionsAllowed</c>, the <c>DisruptionAllowed</c> condition) from the pods its selector covers, which the
/// eviction API spends. A pod the eviction API recorded in <c>disruptedPods</c> is not counted healthy until it is
/// gone, or until <see cref="DeletionTimeout"/> passes without it going.
/// </summary>
internal sealed partial class DisruptionController : Controller
{
    /// <summary>How long an eviction recorded in <c>disruptedPods</c> is trusted to be under way (Kubernetes' DeletionTimeout).</summary>
    internal static readonly TimeSpan DeletionTimeout = TimeSpan.FromMinutes(2);

    private readonly ILogger _log;

    public DisruptionController(ClusterInformers informers, ApiClient api, IOptions<ControllerManagerOptions> options, TimeProvider time, ILogger<DisruptionController> log)
        : base(informers, api, options, time, log)
    {
        _log = log;
        informers.PodDisruptionBudgets.OnChange((old, now) => Queue.Add(ObjectKeys.KeyOf((now ?? old)!)));
        informers.Pods.OnChange((old, now) =>
        {
            var pod = (now ?? old)!;
            foreach (var pdb in informers.PodDisruptionBudgets.List(pod.Metadata.Namespace ?? ""))
                if (ExpectedPods.Covers(pdb, pod) || old is not null && ExpectedPods.Covers(pdb, old)) Queue.Add(ObjectKeys.KeyOf(pdb));
        });
        // The scale of a controller changes how many pods a maxUnavailable or percentage budget expects.
        informers.ReplicaSets.OnChange((old, now) => EnqueueNamespace((now ?? old)!));
        informers.Deployments.OnChange((old, now) => EnqueueNamespace((now ?? old)!));
        informers.StatefulSets.OnChange((old, now) => EnqueueNamespace((now ?? old)!));
    }

    protected override string Name => "disruption";

    protected override IEnumerable<string> AllKeys() => Informers.PodDisruptionBudgets.List().Select(ObjectKeys.KeyOf);

    private void EnqueueNamespace(Resource owner)
    {
        foreach (var pdb in Informers.PodDisruptionBudgets.List(owner.Metadata.Namespace ?? "")) Queue.Add(ObjectKeys.KeyOf(pdb));
    }

    protected override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        if (Informers.PodDisruptionBudgets.Get(key) is not { } pdb) return;
        var now = Time.GetUtcNow();
        var pods = Informers.Pods.List(pdb.Metadata.Namespace ?? "").Where(p => ExpectedPods.Covers(pdb, p)).ToList();
        var (expected, desired, error) = ExpectedPods.Count(pdb, pods, Informers);
        var (disrupted, recheck) = LiveDisruptions(pdb, pods, now);
        var healthy = pods.Count(p => p.Metadata.DeletionTimestamp is null && PodFacts.IsReady(p) && !disrupted.ContainsKey(p.Metadata.Name!));
        var allowed = error is null && expected > 0 ? Math.Max(0, healthy - desired) : 0;
        if (error is not null) SyncFailed(key, error);
        var reason = error is not null ? "SyncFailed" : allowed > 0 ? "SufficientPods" : "InsufficientPods";
        var status = new PodDisruptionBudgetStatus
        {
            ObservedGeneration = pdb.Metadata.Generation,
            DisruptedPods = disrupted.Count > 0 ? disrupted : null,
            DisruptionsAllowed = allowed,
            CurrentHealthy = healthy,
            DesiredHealthy = desired,
            ExpectedPods = expected,
            Conditions = [Condition(pdb.Status, allowed > 0, reason, error ?? "", now)],
        };
        await WriteStatusAsync(ResourceKinds.PodDisruptionBudget, pdb, pdb.Status, status, ct);
        if (recheck is { } after) Queue.AddAfter(key, after);
    }

    /// <summary>The recorded evictions still under way, and when the oldest of them times out.</summary>
    private static (Dictionary<string, DateTimeOffset> Live, TimeSpan? Recheck) LiveDisruptions(PDB pdb, List<Pod> pods, DateTimeOffset now)
    {
        var live = new Dictionary<string, DateTimeOffset>();
        TimeSpan? recheck = null;
        foreach (var (name, at) in pdb.Status?.DisruptedPods ?? [])
        {
            var pod = pods.FirstOrDefault(p => p.Metadata.Name == name);
            if (pod is null || pod.Metadata.DeletionTimestamp is not null || at + DeletionTimeout <= now) continue;
            live[name] = at;
            var left = at + DeletionTimeout - now;
            if (recheck is null || left < recheck) recheck = left;
        }
        return (live, recheck);
    }

    private static Condition Condition(PodDisruptionBudgetStatus? old, bool allowed, string reason, string message, DateTimeOffset now)
    {
        var status = allowed ? "True" : "False";
        var previous = old?.Conditions?.FirstOrDefault(c => c.Type == PDB.DisruptionAllowedCondition);
        var since = previous?.Status == status && previous.LastTransitionTime is { } t ? t : now;
        return new Condition { Type = PDB.DisruptionAllowedCondition, Status = status, Reason = reason, Message = message, LastTransitionTime = since };
    }

    [LoggerMessage(EventId = 170, Level = LogLevel.Warning, Message = "poddisruptionbudget {Budget}: {Error}; no disruption allowed")]
    private partial void SyncFailed(string budget, string error);
}
