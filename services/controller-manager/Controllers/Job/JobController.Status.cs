using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using JobResource = Platform.Contracts.Resources.Job;

namespace Platform.ControllerManager.Controllers.Job;

internal sealed partial class JobController
{
    /// <summary>
    /// Writes what the pods say, and the terminal conditions as Kubernetes 1.31 does (FailureTarget then Failed,
    /// SuccessCriteriaMet then Complete). The patch is conditional on the Job's resourceVersion: a status computed
    /// from a stale cache is retried, never written over a newer one.
    /// </summary>
    private async Task WriteStatusAsync(JobResource job, JobPods pods, DateTimeOffset? startTime, CancellationToken ct,
        (string Reason, string Message)? failure = null, bool complete = false)
    {
        var now = Time.GetUtcNow();
        var indexed = job.Spec.CompletionMode == "Indexed";
        var completed = indexed ? CompletedIndexes(job, pods) : null;
        var conditions = new List<Condition>(job.Status?.Conditions ?? []);
        var suspended = job.Spec.Suspend == true;
        var wasSuspended = conditions.Any(c => c.Type == "Suspended" && c.Status == "True");
        if (failure is { } f)
        {
            SetCondition(conditions, "FailureTarget", "True", f.Reason, f.Message, now);
            SetCondition(conditions, "Failed", "True", f.Reason, f.Message, now);
        }
        else if (complete)
        {
            SetCondition(conditions, "SuccessCriteriaMet", "True", "CompletionsReached", "Reached expected number of succeeded pods", now);
            SetCondition(conditions, "Complete", "True", "CompletionsReached", "Reached expected number of succeeded pods", now);
        }
        else if (suspended && !wasSuspended)
        {
            SetCondition(conditions, "Suspended", "True", "JobSuspended", "Job suspended", now);
            _events.Record(job, "Normal", "Suspended", "Job suspended");
        }
        else if (!suspended && wasSuspended)
        {
            SetCondition(conditions, "Suspended", "False", "JobResumed", "Job resumed", now);
            _events.Record(job, "Normal", "Resumed", "Job resumed");
        }
        var finished = failure is not null || complete;
        var status = new JobStatus
        {
            Conditions = conditions.Count == 0 ? null : conditions,
            StartTime = startTime,
            CompletionTime = complete ? now : job.Status?.CompletionTime,
            Active = finished ? 0 : pods.Active.Count,
            Ready = finished ? 0 : pods.Active.Count(PodFacts.IsReady),
            Succeeded = indexed ? completed!.Count : Math.Max(job.Status?.Succeeded ?? 0, pods.Succeeded.Count),
            Failed = Math.Max(job.Status?.Failed ?? 0, pods.Failed.Count),
            Terminating = pods.Terminating.Count + (finished || suspended ? pods.Active.Count : 0),
            CompletedIndexes = indexed ? IndexRanges.Format(completed!) : null,
        };
        if (!await WriteStatusAsync(ResourceKinds.Job, job, job.Status, status, ct)) return;
        if (finished && job.Spec.TtlSecondsAfterFinished is { } ttl) Queue.AddAfter(Platform.ApiServer.Client.Informers.ObjectKeys.KeyOf(job), TimeSpan.FromSeconds(ttl));
    }

    private static void SetCondition(List<Condition> conditions, string type, string status, string reason, string message, DateTimeOffset now)
    {
        var i = conditions.FindIndex(c => c.Type == type);
        if (i >= 0 && conditions[i].Status == status) return;
        var condition = new Condition { Type = type, Status = status, Reason = reason, Message = message, LastProbeTime = now, LastTransitionTime = now };
        if (i >= 0) conditions[i] = condition;
        else conditions.Add(condition);
    }

    /// <summary>The TTL-after-finished controller's part: a finished Job past its TTL is deleted with its pods (foreground).</summary>
    private async Task ExpireAsync(string key, JobResource job, CancellationToken ct)
    {
        if (job.Spec.TtlSecondsAfterFinished is not { } ttl || job.Metadata.DeletionTimestamp is not null) return;
        var finishedAt = job.Status?.CompletionTime
            ?? job.Status?.Conditions?.Where(c => c.Type is "Complete" or "Failed" && c.Status == "True").Select(c => c.LastTransitionTime).Max();
        if (finishedAt is null) return;
        var expires = finishedAt.Value.AddSeconds(ttl);
        var now = Time.GetUtcNow();
        if (now < expires)
        {
            Queue.AddAfter(key, expires - now);
            return;
        }
        if (await Api.DeleteAsync(ResourceKinds.Job.ObjectPath(job.Metadata.Namespace, job.Metadata.Name!), "Foreground", ct))
            TtlExpired(key, ttl);
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "job {Key} finished more than {Ttl} s ago (ttlSecondsAfterFinished): deleted with its pods")]
    private partial void TtlExpired(string key, int ttl);
}
