using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.ReplicaSet;
using Platform.ControllerManager.Informers;
using JobResource = Platform.Contracts.Resources.Job;

namespace Platform.ControllerManager.Controllers.Job;

/// <summary>
/// kube-controller-manager's job controller: runs <c>parallelism</c> pods at a time until <c>completions</c> succeeded
/// (each index once for Indexed Jobs), re-creates failed pods after an exponential back-off, fails the Job on its
/// backoff limit, its deadline or a FailJob rule, deletes active pods when suspended or finished, writes status and
/// deletes a finished Job after <c>ttlSecondsAfterFinished</c>.
/// </summary>
internal sealed partial class JobController : Controller
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(6);
    private readonly EventRecorder _events;
    private readonly Expectations _expectations;
    private readonly TimeSpan _backoffBase;
    private readonly ILogger _logger;

    public JobController(ClusterInformers informers, ApiClient api, EventRecorder events, IOptions<ControllerManagerOptions> options, TimeProvider time, ILogger<JobController> logger)
        : base(informers, api, options, time, logger)
    {
        _events = events;
        _logger = logger;
        _backoffBase = options.Value.JobBackoffBase;
        _expectations = new Expectations(time, TimeSpan.FromMinutes(1));
        informers.Jobs.OnChange((old, now) => Queue.Add(ObjectKeys.KeyOf(now ?? old!)));
        informers.Pods.OnChange(OnPodChanged);
    }

    protected override string Name => "job";

    protected override IEnumerable<string> AllKeys() => Informers.Jobs.List().Select(ObjectKeys.KeyOf);

    private void OnPodChanged(Pod? old, Pod? now)
    {
        var pod = now ?? old!;
        if (PodFacts.ControllerOf(pod) is not { Kind: "Job" } owner) return;
        var key = $"{pod.Metadata.Namespace}/{owner.Name}";
        if (old is null) _expectations.CreationObserved(key);
        if (now is null || (old?.Metadata.DeletionTimestamp is null && now.Metadata.DeletionTimestamp is not null)) _expectations.DeletionObserved(key, pod.Metadata.Uid!);
        Queue.Add(key);
    }

    protected override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        var job = Informers.Jobs.Get(key);
        if (job is null)
        {
            _expectations.Delete(key);
            return;
        }
        // As client-go's syncJob: the expectations first, then the pods. A pod the cache applies in between is then in
        // the list as well; read the other way round, the check could count a creation the list missed, and the
        // missing pod would be created a second time (three pods at once with parallelism 2, seen under load).
        var satisfied = _expectations.Satisfied(key);
        var owned = Informers.Pods.ByIndex(Indexers.Owner, job.Metadata.Uid!).Where(p => PodFacts.ControllerOf(p)?.Uid == job.Metadata.Uid).ToList();
        var pods = JobPods.Of(job, owned);
        if (IsFinished(job))
        {
            // The terminal status is written before the active pods go (below), so a pod still running here is one
            // whose deletion was cut short: it goes now (unless its deletion is on its way to the informer).
            if (satisfied) await DeleteActiveAsync(key, job, pods.Active, ct);
            await ExpireAsync(key, job, ct);
            return;
        }
        var now = Time.GetUtcNow();
        var suspended = job.Spec.Suspend == true;
        // The deadline's clock starts when the Job first runs and starts again when it is resumed.
        var resumed = job.Status?.Conditions?.Any(c => c.Type == "Suspended" && c.Status == "True") == true && !suspended;
        var startTime = suspended ? job.Status?.StartTime : resumed ? now : job.Status?.StartTime ?? now;

        // Status first, then the pods: were the pods deleted first and the status write refused (a newer Job), the
        // next round would no longer see the failures that ended the Job (an OnFailure pod's restarts go with it)
        // and would start it again.
        if (Failure(job, pods, startTime, now) is { } failure)
        {
            await WriteStatusAsync(job, pods, startTime, ct, failure: failure);
            _events.Record(job, "Warning", failure.Reason, failure.Message);
            await DeleteActiveAsync(key, job, pods.Active, ct);
            return;
        }
        if (IsComplete(job, pods))
        {
            await WriteStatusAsync(job, pods, startTime, ct, complete: true);
            _events.Record(job, "Normal", "Completed", "Job completed");
            await DeleteActiveAsync(key, job, pods.Active, ct);
            return;
        }
        if (satisfied && job.Metadata.DeletionTimestamp is null)
        {
            if (suspended) await DeleteActiveAsync(key, job, pods.Active, ct);
            else await ManagePodsAsync(key, job, pods, now, ct);
        }
        if (!suspended && job.Spec.ActiveDeadlineSeconds is { } deadline && startTime is { } started)
            Queue.AddAfter(key, started.AddSeconds(deadline) - now + TimeSpan.FromMilliseconds(100));
        await WriteStatusAsync(job, pods, startTime, ct);
    }

    public static bool IsFinished(JobResource job) =>
        job.Status?.Conditions?.Any(c => c.Type is "Complete" or "Failed" && c.Status == "True") == true;

    private (string Reason, string Message)? Failure(JobResource job, JobPods pods, DateTimeOffset? startTime, DateTimeOffset now)
    {
        if (pods.FailJobMessage is { } message) return ("PodFailurePolicy", message);
        var limit = job.Spec.BackoffLimit ?? 6;
        var failed = Math.Max(job.Status?.Failed ?? 0, pods.Failed.Count);
        // With OnFailure the node agent restarts containers instead of failing pods: Kubernetes' pastBackoffLimitOnFailure
        // fails the Job once the active pods' restarts reach the limit.
        var restarts = job.Spec.Template?.Spec?.RestartPolicy == "OnFailure" ? pods.ActiveRestarts() : 0;
        var restartsExceeded = limit == 0 ? restarts > 0 : restarts >= limit;
        if (failed > limit || restartsExceeded) return ("BackoffLimitExceeded", "Job has reached the specified backoff limit");
        if (job.Spec.Suspend != true && job.Spec.ActiveDeadlineSeconds is { } deadline && startTime is { } started && now >= started.AddSeconds(deadline))
            return ("DeadlineExceeded", "Job was active longer than specified deadline");
        return null;
    }

    private static bool IsComplete(JobResource job, JobPods pods)
    {
        if (job.Spec.CompletionMode == "Indexed") return CompletedIndexes(job, pods).Count >= (job.Spec.Completions ?? 1);
        var succeeded = Math.Max(job.Status?.Succeeded ?? 0, pods.Succeeded.Count);
        // No completions: a work queue, done when a pod succeeded and the others have finished.
        return job.Spec.Completions is { } completions ? succeeded >= completions : succeeded > 0 && pods.Active.Count == 0;
    }

    /// <summary>Indexes with a succeeded pod, with those the status already recorded.</summary>
    public static SortedSet<int> CompletedIndexes(JobResource job, JobPods pods)
    {
        var completions = job.Spec.Completions ?? 1;
        var set = new SortedSet<int>(IndexRanges.Parse(job.Status?.CompletedIndexes, completions));
        foreach (var pod in pods.Succeeded)
            if (JobPods.IndexOf(pod) is { } i && i < completions) set.Add(i);
        return set;
    }
}
