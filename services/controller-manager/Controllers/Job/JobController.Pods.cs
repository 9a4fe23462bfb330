using System.Globalization;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.ReplicaSet;
using JobResource = Platform.Contracts.Resources.Job;

namespace Platform.ControllerManager.Controllers.Job;

internal sealed partial class JobController
{
    private const int MaxBurst = 500;
    private const string IndexEnv = "JOB_COMPLETION_INDEX";

    /// <summary>Brings the active pods to what parallelism and the remaining completions allow, after the failure back-off.</summary>
    private async Task ManagePodsAsync(string key, JobResource job, JobPods pods, DateTimeOffset now, CancellationToken ct)
    {
        var parallelism = job.Spec.Parallelism ?? 1;
        var indexed = job.Spec.CompletionMode == "Indexed";
        var surplus = new List<Pod>();
        List<int> pending = [];
        int want;
        if (indexed)
        {
            var completions = job.Spec.Completions ?? 1;
            var completed = CompletedIndexes(job, pods);
            var running = new HashSet<int>();
            // An index runs once: pods of completed indexes, duplicates and pods without a valid index go.
            foreach (var pod in pods.Active)
                if (JobPods.IndexOf(pod) is not { } i || i >= completions || completed.Contains(i) || !running.Add(i)) surplus.Add(pod);
            pending = Enumerable.Range(0, completions).Where(i => !completed.Contains(i) && !running.Contains(i)).ToList();
            want = Math.Max(0, Math.Min(parallelism, completions - completed.Count));
        }
        else
        {
            var succeeded = Math.Max(job.Status?.Succeeded ?? 0, pods.Succeeded.Count);
            want = job.Spec.Completions is { } completions ? Math.Min(parallelism, completions - succeeded) : succeeded > 0 ? 0 : parallelism;
            want = Math.Max(0, want);
        }
        var kept = pods.Active.Except(surplus).ToList();
        if (kept.Count > want) surplus.AddRange(PodFacts.InDeletionOrder(kept).Take(kept.Count - want));
        if (surplus.Count > 0)
        {
            await DeleteActiveAsync(key, job, surplus.Take(MaxBurst).ToList(), ct);
            return;
        }
        var missing = Math.Min(want - kept.Count, MaxBurst);
        if (missing <= 0) return;
        var (failures, lastFailure) = pods.FailuresSinceSuccess();
        if (failures > 0)
        {
            var delay = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, _backoffBase.Ticks * (1L << Math.Min(failures - 1, 20))));
            if (now < lastFailure + delay)
            {
                Queue.AddAfter(key, lastFailure + delay - now);
                return;
            }
        }
        var indexes = indexed ? pending.Take(missing).Select(i => (int?)i).ToList() : Enumerable.Repeat((int?)null, missing).ToList();
        _expectations.ExpectCreations(key, indexes.Count);
        var created = await SlowStartCreateAsync(key, job, indexes, ct);
        if (created < indexes.Count) throw new InvalidOperationException($"created {created} of {indexes.Count} pods");
    }

    /// <summary>Creates in batches of 1, 2, 4 ... (<see cref="SlowStart"/>); after a failure the rest are not sent.</summary>
    private async Task<int> SlowStartCreateAsync(string key, JobResource job, List<int?> indexes, CancellationToken ct)
    {
        var run = await SlowStart.RunAsync(indexes.Count, i => CreatePodAsync(key, job, indexes[i], ct));
        _expectations.CreationsNotAttempted(key, run.NotAttempted);
        return run.Succeeded;
    }

    private async Task<bool> CreatePodAsync(string key, JobResource job, int? index, CancellationToken ct)
    {
        var template = job.Spec.Template!;
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? []);
        var annotations = new Dictionary<string, string>(template.Metadata?.Annotations ?? []);
        var spec = template.Spec ?? new PodSpec();
        var name = job.Metadata.Name!;
        if (index is { } i)
        {
            var value = i.ToString(CultureInfo.InvariantCulture);
            labels[JobResource.CompletionIndexLabel] = value;
            annotations[JobResource.CompletionIndexLabel] = value;
            Container WithIndex(Container c) => c with { Env = [.. (c.Env ?? []).Where(e => e.Name != IndexEnv), new EnvVar { Name = IndexEnv, Value = value }] };
            spec = spec with
            {
                Hostname = spec.Hostname ?? $"{name}-{value}",
                Containers = spec.Containers.Select(WithIndex).ToList(),
                InitContainers = spec.InitContainers?.Select(WithIndex).ToList(),
            };
        }
        var pod = new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta
            {
                GenerateName = index is { } n ? $"{name}-{n.ToString(CultureInfo.InvariantCulture)}-" : name + "-",
                Namespace = job.Metadata.Namespace,
                Labels = labels,
                Annotations = annotations.Count == 0 ? null : annotations,
                OwnerReferences = [ReplicaSetController.OwnerRef(job) with { ApiVersion = ResourceKinds.Job.ApiVersion, Kind = "Job" }],
            },
            Spec = spec,
        };
        try
        {
            var created = await Api.CreateReturningAsync(ResourceKinds.Pod.CollectionPath(job.Metadata.Namespace), pod, ct);
            _events.Record(job, "Normal", "SuccessfulCreate", $"Created pod: {created.Metadata.Name}");
            return true;
        }
        catch (HttpRequestException ex)
        {
            _expectations.CreationFailed(key);
            _events.Record(job, "Warning", "FailedCreate", $"Error creating: {ex.Message}");
            return false;
        }
    }

    private async Task DeleteActiveAsync(string key, JobResource job, List<Pod> victims, CancellationToken ct)
    {
        if (victims.Count == 0) return;
        _expectations.ExpectDeletions(key, victims.Select(p => p.Metadata.Uid!));
        foreach (var pod in victims)
        {
            if (!await Api.DeleteAsync(ResourceKinds.Pod.ObjectPath(pod.Metadata.Namespace, pod.Metadata.Name!), "Background", ct))
                _expectations.DeletionObserved(key, pod.Metadata.Uid!);
            _events.Record(job, "Normal", "SuccessfulDelete", $"Deleted pod: {pod.Metadata.Name}");
        }
    }
}
