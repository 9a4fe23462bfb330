using System.Globalization;
using Platform.Contracts.Resources;
using JobResource = Platform.Contracts.Resources.Job;

namespace Platform.ControllerManager.Controllers.Job;

/// <summary>A Job's pods as its controller counts them: active, terminating, succeeded, failed (as the pod failure policy says).</summary>
internal sealed class JobPods
{
    public List<Pod> Active { get; } = [];
    public List<Pod> Terminating { get; } = [];
    public List<Pod> Succeeded { get; } = [];
    /// <summary>Failed pods that count toward the backoff limit (not ignored by the pod failure policy).</summary>
    public List<Pod> Failed { get; } = [];
    /// <summary>The first failed pod a FailJob rule matched, with the rule's message.</summary>
    public string? FailJobMessage { get; private set; }

    public static JobPods Of(JobResource job, IEnumerable<Pod> owned)
    {
        var pods = new JobPods();
        foreach (var pod in owned.OrderBy(p => p.Metadata.CreationTimestamp).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            switch (pod.Status?.Phase)
            {
                case "Succeeded":
                    pods.Succeeded.Add(pod);
                    break;
                case "Failed":
                    var match = PodFailurePolicyMatcher.Match(job.Spec.PodFailurePolicy, pod);
                    if (match is ("FailJob", var message)) pods.FailJobMessage ??= message;
                    if (match is not ("Ignore", _)) pods.Failed.Add(pod);
                    break;
                default:
                    (pod.Metadata.DeletionTimestamp is null ? pods.Active : pods.Terminating).Add(pod);
                    break;
            }
        }
        return pods;
    }

    /// <summary>A pod's completion index (Indexed Jobs), or null when it carries none.</summary>
    public static int? IndexOf(Pod pod) =>
        int.TryParse(pod.Metadata.Annotations?.GetValueOrDefault(JobResource.CompletionIndexLabel), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;

    /// <summary>Container restarts of active pods: with restartPolicy OnFailure these are the Job's failures.</summary>
    public int ActiveRestarts() => Active.Sum(p =>
        (p.Status?.ContainerStatuses ?? []).Sum(c => c.RestartCount) + (p.Status?.InitContainerStatuses ?? []).Sum(c => c.RestartCount));

    /// <summary>When a finished pod ended: its last container's finish, else its creation.</summary>
    public static DateTimeOffset FinishedAt(Pod p) =>
        (p.Status?.ContainerStatuses ?? []).Select(c => c.State?.Terminated?.FinishedAt).Max()
        ?? p.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue;

    /// <summary>Failures since the last success and when the latest of them ended (the back-off is measured from there).</summary>
    public (int Count, DateTimeOffset Last) FailuresSinceSuccess()
    {
        var lastSuccess = Succeeded.Count == 0 ? DateTimeOffset.MinValue : Succeeded.Max(FinishedAt);
        var after = Failed.Select(FinishedAt).Where(t => t > lastSuccess).ToList();
        return (after.Count, after.Count == 0 ? DateTimeOffset.MinValue : after.Max());
    }
}
