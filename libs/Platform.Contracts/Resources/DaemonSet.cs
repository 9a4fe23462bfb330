namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: apps/v1</c>, <c>kind: DaemonSet</c>: one pod of the template on every eligible node.</summary>
public sealed record DaemonSet : Resource
{
    /// <summary>The desired state.</summary>
    public DaemonSetSpec Spec { get; init; } = new();
    /// <summary>The observed state, written by the controller.</summary>
    public DaemonSetStatus? Status { get; init; }
}
