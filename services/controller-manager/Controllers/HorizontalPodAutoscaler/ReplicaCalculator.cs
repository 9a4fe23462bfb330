using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Controllers.HorizontalPodAutoscaler;

/// <summary>
/// Kubernetes' replica calculator (<c>pkg/controller/podautoscaler/replica_calculator.go</c>) for Resource metrics:
/// the usage ratio over the ready pods that have metrics, no change within the 10% tolerance, and for pods without
/// metrics (assumed at 100% of their request when scaling down, 0 when scaling up) and not-ready pods (0, scale-up
/// only) a second ratio that must not reverse the direction.
/// </summary>
internal static class ReplicaCalculator
{
    public const double Tolerance = 0.1;
    /// <summary>kube-controller-manager's <c>--horizontal-pod-autoscaler-cpu-initialization-period</c>.</summary>
    public static readonly TimeSpan CpuInitializationPeriod = TimeSpan.FromMinutes(5);
    /// <summary>kube-controller-manager's <c>--horizontal-pod-autoscaler-initial-readiness-delay</c>.</summary>
    public static readonly TimeSpan InitialReadinessDelay = TimeSpan.FromSeconds(30);

    /// <summary>The proposal of one Resource metric: replicas, and the current utilization (percent, when a target utilization is set) and average value.</summary>
    public sealed record Result(int Replicas, int? Utilization, long AverageValue);

    /// <summary>
    /// Replicas for <paramref name="resource"/> with a target utilization (percent of requests) or a target average
    /// value per pod (millicores or bytes). Throws <see cref="InvalidOperationException"/> with Kubernetes' messages
    /// when it cannot tell (no metrics, a request missing).
    /// </summary>
    public static Result Calculate(int currentReplicas, string resource, int? targetUtilization, long? targetAverage,
        IReadOnlyList<Pod> pods, IReadOnlyDictionary<string, PodMetric> metrics, DateTimeOffset now)
    {
        if (pods.Count == 0) throw new InvalidOperationException("no pods returned by selector while calculating replica count");
        var usage = new Dictionary<string, long>(StringComparer.Ordinal);
        var (ready, unready, missing) = Group(pods, metrics, resource, now, usage);
        var requests = targetUtilization is null ? null : Requests(pods, resource);
        if (usage.Count == 0) throw new InvalidOperationException("did not receive metrics for targeted pods (pods might be unready)");

        var (ratio, utilization, average) = Ratio(usage, requests, targetUtilization, targetAverage);
        var scaleUpWithUnready = unready.Count > 0 && ratio > 1.0;
        if (!scaleUpWithUnready && missing.Count == 0)
        {
            if (Math.Abs(1.0 - ratio) <= Tolerance) return new Result(currentReplicas, utilization, average);
            return new Result((int)Math.Ceiling(ratio * ready), utilization, average);
        }
        foreach (var pod in missing)
            usage[pod] = ratio < 1.0 ? (requests is not null ? requests[pod] : targetAverage ?? 0) : 0;
        if (scaleUpWithUnready)
            foreach (var pod in unready) usage[pod] = 0;
        var (newRatio, _, _) = Ratio(usage, requests, targetUtilization, targetAverage);
        if (Math.Abs(1.0 - newRatio) <= Tolerance || ratio < 1.0 && newRatio > 1.0 || ratio > 1.0 && newRatio < 1.0)
            return new Result(currentReplicas, utilization, average);
        var replicas = (int)Math.Ceiling(newRatio * usage.Count);
        if (newRatio < 1.0 && replicas > currentReplicas || newRatio > 1.0 && replicas < currentReplicas)
            return new Result(currentReplicas, utilization, average);
        return new Result(replicas, utilization, average);
    }

    /// <summary>
    /// Kubernetes' groupPods: deleted and failed pods are ignored; pending pods and (for CPU) pods not ready, or still
    /// initializing with a sample taken before they became ready, are unready; pods without a metric are missing.
    /// The ready pods' usage goes to <paramref name="usage"/>.
    /// </summary>
    private static (int Ready, List<string> Unready, List<string> Missing) Group(IReadOnlyList<Pod> pods, IReadOnlyDictionary<string, PodMetric> metrics,
        string resource, DateTimeOffset now, Dictionary<string, long> usage)
    {
        var ready = 0;
        var unready = new List<string>();
        var missing = new List<string>();
        foreach (var pod in pods)
        {
            var name = pod.Metadata.Name!;
            if (pod.Metadata.DeletionTimestamp is not null || pod.Status?.Phase == "Failed") continue;
            if (pod.Status?.Phase == "Pending") { unready.Add(name); continue; }
            if (!metrics.TryGetValue(name, out var metric)) { missing.Add(name); continue; }
            if (resource == "cpu" && IsUnreadyForCpu(pod, metric, now)) { unready.Add(name); continue; }
            usage[name] = metric.Value;
            ready++;
        }
        return (ready, unready, missing);
    }

    private static bool IsUnreadyForCpu(Pod pod, PodMetric metric, DateTimeOffset now)
    {
        var condition = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        if (condition is null || pod.Status?.StartTime is not { } start) return true;
        var changed = condition.LastTransitionTime ?? start;
        if (start + CpuInitializationPeriod > now)
            return condition.Status == "False" || metric.Timestamp < changed + metric.Window;
        return condition.Status == "False" && start + InitialReadinessDelay > changed;
    }

    /// <summary>Each pod's request of the resource summed over its containers (millicores or bytes).</summary>
    private static Dictionary<string, long> Requests(IReadOnlyList<Pod> pods, string resource)
    {
        var requests = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            long sum = 0;
            foreach (var c in pod.Spec.Containers)
            {
                if (c.Resources?.Requests?.GetValueOrDefault(resource) is not { } text || !Quantity.TryParse(text, out var q))
                    throw new InvalidOperationException($"missing request for {resource} in container {c.Name} of Pod {pod.Metadata.Name}");
                sum += Units(resource, q);
            }
            requests[pod.Metadata.Name!] = sum;
        }
        return requests;
    }

    /// <summary>CPU in millicores, anything else in its base unit.</summary>
    public static long Units(string resource, decimal quantity) => resource == "cpu" ? (long)Math.Ceiling(quantity * 1000) : (long)Math.Ceiling(quantity);

    private static (double Ratio, int? Utilization, long Average) Ratio(Dictionary<string, long> usage, Dictionary<string, long>? requests, int? targetUtilization, long? targetAverage)
    {
        long total = usage.Values.Sum();
        var average = total / usage.Count;
        if (requests is not null && targetUtilization is { } target)
        {
            long requested = usage.Keys.Sum(p => requests.GetValueOrDefault(p));
            if (requested == 0) throw new InvalidOperationException("no metrics returned matched known pods");
            var utilization = (int)(total * 100 / requested);
            return ((double)utilization / target, utilization, average);
        }
        return ((double)average / targetAverage!.Value, null, average);
    }
}
