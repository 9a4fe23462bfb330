using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Controllers;

/// <summary>The questions controllers ask about pods and owners, answered the way Kubernetes' controller utilities do.</summary>
internal static class PodFacts
{
    public static bool IsActive(Pod p) => p.Metadata.DeletionTimestamp is null && p.Status?.Phase is not ("Succeeded" or "Failed");

    public static bool IsReady(Pod p) => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>Ready for at least <paramref name="minReadySeconds"/>.</summary>
    public static bool IsAvailable(Pod p, int minReadySeconds, DateTimeOffset now)
    {
        var ready = p.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready" && c.Status == "True");
        if (ready is null) return false;
        return minReadySeconds <= 0 || ready.LastTransitionTime is { } t && t.AddSeconds(minReadySeconds) <= now;
    }

    /// <summary>Whether <paramref name="svc"/>'s selector (a Service selects nothing without one) matches <paramref name="pod"/>.</summary>
    public static bool SelectedBy(Service svc, Pod? pod) =>
        pod is not null && svc.Spec.Selector is { Count: > 0 } sel && sel.All(kv => pod.Metadata.Labels?.GetValueOrDefault(kv.Key) == kv.Value);

    public static OwnerReference? ControllerOf(Resource r) => r.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);

    /// <summary>
    /// Deletion order of a scale-down (Kubernetes' ActivePods ranking): unscheduled before scheduled, pending before
    /// running, not ready before ready, then the newest first.
    /// </summary>
    public static IEnumerable<Pod> InDeletionOrder(IEnumerable<Pod> pods) => pods
        .OrderBy(p => p.Spec.NodeName is null ? 0 : 1)
        .ThenBy(p => p.Status?.Phase switch { "Pending" or null => 0, "Unknown" => 1, _ => 2 })
        .ThenBy(p => IsReady(p) ? 1 : 0)
        .ThenByDescending(p => p.Metadata.CreationTimestamp ?? DateTimeOffset.MaxValue)
        .ThenBy(p => p.Metadata.Name, StringComparer.Ordinal);
}
