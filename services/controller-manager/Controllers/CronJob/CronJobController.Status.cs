using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using CronJobResource = Platform.Contracts.Resources.CronJob;
using JobResource = Platform.Contracts.Resources.Job;

namespace Platform.ControllerManager.Controllers.CronJob;

internal sealed partial class CronJobController
{
    /// <summary>
    /// The active list as the Jobs say: a finished Job leaves it (a completed one moves lastSuccessfulTime), an
    /// unfinished Job of this CronJob joins it, and a reference to a Job that is gone (asked of the apiserver, the
    /// cache may not have seen a Job just created) is dropped.
    /// </summary>
    private async Task<CronJobStatus> TrackJobsAsync(CronJobResource cj, CronJobStatus status, List<JobResource> jobs, CancellationToken ct)
    {
        var active = new List<ObjectReference>(status.Active ?? []);
        var lastSuccessful = status.LastSuccessfulTime;
        foreach (var job in jobs)
        {
            var listed = active.FindIndex(a => a.Uid == job.Metadata.Uid);
            if (!Finished(job, out var type))
            {
                if (listed < 0) active.Add(Reference(job));
                continue;
            }
            if (listed >= 0)
            {
                active.RemoveAt(listed);
                _events.Record(cj, "Normal", "SawCompletedJob", $"Saw completed job: {job.Metadata.Name}, condition: {type}");
            }
            if (type == "Complete" && job.Status?.CompletionTime is { } done && (lastSuccessful is null || done > lastSuccessful)) lastSuccessful = done;
        }
        foreach (var run in active.Where(a => jobs.All(j => j.Metadata.Uid != a.Uid)).ToList())
        {
            var found = await Api.GetAsync<JobResource>(ResourceKinds.Job.ObjectPath(cj.Metadata.Namespace, run.Name!), ct);
            if (found?.Metadata.Uid != run.Uid || (found is not null && Finished(found, out _))) active.Remove(run);
        }
        return status with { Active = active.Count == 0 ? null : active, LastSuccessfulTime = lastSuccessful };
    }

    /// <summary>Deletes the oldest finished Jobs beyond <c>successfulJobsHistoryLimit</c> and <c>failedJobsHistoryLimit</c>.</summary>
    private async Task CleanupHistoryAsync(CronJobResource cj, List<JobResource> jobs, CronJobStatus status, CancellationToken ct)
    {
        var finished = jobs.Where(j => j.Metadata.DeletionTimestamp is null).Select(j => (Job: j, Finished: Finished(j, out var type), Type: type)).Where(j => j.Finished).ToList();
        foreach (var (type, limit) in new[] { ("Complete", cj.Spec.SuccessfulJobsHistoryLimit), ("Failed", cj.Spec.FailedJobsHistoryLimit) })
        {
            if (limit is not { } keep) continue;
            var old = finished.Where(j => j.Type == type).Select(j => j.Job)
                .OrderBy(j => j.Status?.StartTime ?? j.Metadata.CreationTimestamp).ThenBy(j => j.Metadata.Name, StringComparer.Ordinal).ToList();
            foreach (var job in old.Take(Math.Max(0, old.Count - keep)))
            {
                if (status.Active?.Any(a => a.Uid == job.Metadata.Uid) == true) continue;
                if (await Api.DeleteAsync(ResourceKinds.Job.ObjectPath(job.Metadata.Namespace, job.Metadata.Name!), "Background", ct))
                    _events.Record(cj, "Normal", "SuccessfulDelete", $"Deleted job {job.Metadata.Name}");
            }
        }
    }

    /// <summary>
    /// Unconditional, unlike the Job's: a status written from a stale cache is repaired by the next sync (the active
    /// list from the Jobs, a run already made by its name), and a conflict retry would wait on the injected clock.
    /// </summary>
    private async Task WriteStatusAsync(CronJobResource cj, CronJobStatus status, CancellationToken ct)
    {
        var node = JsonSerializer.SerializeToNode(status, ResourceJson.Options)!;
        if (JsonNode.DeepEquals(node, JsonSerializer.SerializeToNode(cj.Status ?? new CronJobStatus(), ResourceJson.Options))) return;
        if (status.Active is null) node["active"] = null; // a merge patch removes the list only with an explicit null
        var patch = new JsonObject { ["status"] = node };
        await Api.MergePatchAsync(ResourceKinds.CronJob.ObjectPath(cj.Metadata.Namespace, cj.Metadata.Name!) + "/status", patch, ct);
    }
}
