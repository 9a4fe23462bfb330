namespace Platform.Contracts.Resources;

/// <summary>
/// <c>apiVersion: apps/v1</c>, <c>kind: StatefulSet</c>: pods with stable ordinal names (<c>web-0</c>, <c>web-1</c>)
/// and DNS names under a headless Service, created, scaled and updated in order.
/// </summary>
public sealed record StatefulSet : Resource
{
    /// <summary>The label naming a pod's own name, for a Service per pod.</summary>
    public const string PodNameLabel = "statefulset.kubernetes.io/pod-name";
    /// <summary>The label carrying a pod's ordinal.</summary>
    public const string PodIndexLabel = "apps.kubernetes.io/pod-index";

    /// <summary>The desired state.</summary>
    public StatefulSetSpec Spec { get; init; } = new();
    /// <summary>The observed state, written by the controller.</summary>
    public StatefulSetStatus? Status { get; init; }
}
