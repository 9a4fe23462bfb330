using System.Globalization;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.Job;
using Platform.ControllerManager.Informers;
using CronJobResource = Platform.Contracts.Resources.CronJob;
using JobResource = Platform.Contracts.Resources.Job;

namespace Platform.ControllerManager.Controllers.CronJob;

/// <summary>
/// kube-controller-manager's cronjob controller: at each scheduled time (read in <c>timeZone</c>) a Job named
/// <c>{cronjob}-{minutes since epoch}</c> is created from the template, as the concurrency policy allows; a run
/// later than <c>startingDeadlineSeconds</c> is skipped; after downtime only the most recent missed run is created;
/// finished Jobs beyond the history limits are deleted; status tracks the active Jobs and the last runs.
/// </summary>
internal sealed partial class CronJobController : Controller
{
    public const string ScheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    private const int TooManyMissed = 100;
    private readonly EventRecorder _events;
    /// <summary>The status last written per key: newer than a cache that has not seen the write yet.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Uid, CronJobStatus Status)> _written = new();
    /// <summary>The scheduled time each key is already queued for: one timer per run, not one per sync.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _wakeAt = new();

    public CronJobController(ClusterInformers informers, ApiClient api, EventRecorder events, IOptions<ControllerManagerOptions> options, TimeProvider time, ILogger<CronJobController> logger)
        : base(informers, api, options, time, logger)
    {
        _events = events;
        informers.CronJobs.OnChange((old, now) => Queue.Add(ObjectKeys.KeyOf(now ?? old!)));
        informers.Jobs.OnChange((old, now) =>
        {
            var job = now ?? old!;
            if (PodFacts.ControllerOf(job) is { Kind: "CronJob" } owner) Queue.Add($"{job.Metadata.Namespace}/{owner.Name}");
        });
    }

    protected override string Name => "cronjob";

    protected override IEnumerable<string> AllKeys() => Informers.CronJobs.List().Select(ObjectKeys.KeyOf);

    protected override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        var cj = Informers.CronJobs.Get(key);
        if (cj is null)
        {
            _written.TryRemove(key, out _);
            _wakeAt.TryRemove(key, out _);
            return;
        }
        var jobs = Informers.Jobs.ByIndex(Indexers.Owner, cj.Metadata.Uid!).Where(j => PodFacts.ControllerOf(j)?.Uid == cj.Metadata.Uid).ToList();
        var status = await TrackJobsAsync(cj, Known(key, cj), jobs, ct);
        if (cj.Metadata.DeletionTimestamp is null)
        {
            status = await ScheduleAsync(key, cj, status, ct);
            await CleanupHistoryAsync(cj, jobs, status, ct);
        }
        await WriteStatusAsync(cj, status, ct);
        _written[key] = (cj.Metadata.Uid!, status);
    }

    /// <summary>
    /// The cached status, or the one this controller wrote when the cache has not caught up: a run created a moment
    /// ago must count as active (Forbid, Replace) and as scheduled even if the next sync comes before its echo.
    /// </summary>
    private CronJobStatus Known(string key, CronJobResource cj)
    {
        var cached = cj.Status ?? new CronJobStatus();
        return _written.TryGetValue(key, out var w) && w.Uid == cj.Metadata.Uid
            && (w.Status.LastScheduleTime ?? DateTimeOffset.MinValue) > (cached.LastScheduleTime ?? DateTimeOffset.MinValue) ? w.Status : cached;
    }

    /// <summary>Runs the Job due now, if any, and queues the key again for the next scheduled time.</summary>
    private async Task<CronJobStatus> ScheduleAsync(string key, CronJobResource cj, CronJobStatus status, CancellationToken ct)
    {
        if (cj.Spec.Suspend == true) return status;
        if (CronSchedule.Of(cj, out var error) is not { } schedule)
        {
            _events.Record(cj, "Warning", "UnparseableSchedule", $"unparseable schedule: \"{cj.Spec.Schedule}\" : {error}");
            return status;
        }
        var now = Time.GetUtcNow();
        if (schedule.Next(now) is { } next && (!_wakeAt.TryGetValue(key, out var queued) || queued != next))
        {
            _wakeAt[key] = next;
            Queue.AddAfter(key, next - now + TimeSpan.FromMilliseconds(100));
        }
        var earliest = status.LastScheduleTime ?? cj.Metadata.CreationTimestamp ?? now;
        if (cj.Spec.StartingDeadlineSeconds is { } deadline && now.AddSeconds(-deadline) > earliest) earliest = now.AddSeconds(-deadline);
        var (scheduled, missed) = schedule.MostRecent(earliest, now);
        if (scheduled is not { } at) return status;
        if (missed > TooManyMissed && cj.Spec.StartingDeadlineSeconds is null)
            _events.Record(cj, "Warning", "TooManyMissedTimes", $"too many missed start times: {missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
        if (cj.Spec.StartingDeadlineSeconds is { } sds && at.AddSeconds(sds) < now)
        {
            _events.Record(cj, "Warning", "MissedSchedule", $"Missed scheduled time to start a job: {Rfc3339(at, schedule.Zone)}");
            return status;
        }
        var name = JobName(cj, at);
        var active = status.Active ?? [];
        if (active.Any(a => a.Name == name) || status.LastScheduleTime == at) return status;
        if (cj.Spec.ConcurrencyPolicy == "Forbid" && active.Count > 0)
        {
            _events.Record(cj, "Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
            return status;
        }
        if (cj.Spec.ConcurrencyPolicy == "Replace")
        {
            foreach (var run in active)
            {
                await Api.DeleteAsync(ResourceKinds.Job.ObjectPath(cj.Metadata.Namespace, run.Name!), "Background", ct);
                _events.Record(cj, "Normal", "SuccessfulDelete", $"Deleted job {run.Name}");
            }
            active = [];
        }
        var job = await CreateJobAsync(cj, name, at, schedule.Zone, ct);
        return status with { Active = [.. active, Reference(job)], LastScheduleTime = at };
    }

    /// <summary>Kubernetes' getJobName: the scheduled time in minutes since the epoch, so a retried run has the same name.</summary>
    public static string JobName(CronJobResource cj, DateTimeOffset scheduled) =>
        $"{cj.Metadata.Name}-{(scheduled.ToUnixTimeSeconds() / 60).ToString(CultureInfo.InvariantCulture)}";

    private async Task<JobResource> CreateJobAsync(CronJobResource cj, string name, DateTimeOffset at, TimeZoneInfo zone, CancellationToken ct)
    {
        var template = cj.Spec.JobTemplate!;
        var annotations = new Dictionary<string, string>(template.Metadata?.Annotations ?? []) { [ScheduledTimestampAnnotation] = Rfc3339(at, zone) };
        var job = new JobResource
        {
            ApiVersion = ResourceKinds.Job.ApiVersion,
            Kind = ResourceKinds.Job.Kind,
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = cj.Metadata.Namespace,
                Labels = template.Metadata?.Labels is { Count: > 0 } labels ? new(labels) : null,
                Annotations = annotations,
                OwnerReferences = [new OwnerReference { ApiVersion = ResourceKinds.CronJob.ApiVersion, Kind = "CronJob", Name = cj.Metadata.Name, Uid = cj.Metadata.Uid, Controller = true, BlockOwnerDeletion = true }],
            },
            Spec = template.Spec ?? new JobSpec(),
        };
        var path = ResourceKinds.Job.CollectionPath(cj.Metadata.Namespace);
        try
        {
            var created = await Api.CreateReturningAsync(path, job, ct);
            _events.Record(cj, "Normal", "SuccessfulCreate", $"Created job {name}");
            return created;
        }
        catch (ApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Created before (a restart, a lagging cache): the run is done.
            return await Api.GetAsync<JobResource>(ResourceKinds.Job.ObjectPath(cj.Metadata.Namespace, name), ct)
                ?? throw new InvalidOperationException($"job {name} exists and is gone");
        }
        catch (HttpRequestException e)
        {
            _events.Record(cj, "Warning", "FailedCreate", $"Error creating job: {e.Message}");
            throw;
        }
    }

    private static string Rfc3339(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static ObjectReference Reference(JobResource job) => new()
    {
        ApiVersion = ResourceKinds.Job.ApiVersion,
        Kind = ResourceKinds.Job.Kind,
        Namespace = job.Metadata.Namespace,
        Name = job.Metadata.Name,
        Uid = job.Metadata.Uid,
    };

    private static bool Finished(JobResource job, out string? type)
    {
        type = job.Status?.Conditions?.FirstOrDefault(c => c.Type is "Complete" or "Failed" && c.Status == "True")?.Type;
        return type is not null;
    }
}
