namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: v1</c>, <c>kind: Service</c>: a stable name for the ready pods its selector matches.</summary>
public sealed record Service : Resource
{
    /// <summary>The desired state.</summary>
    public ServiceSpec Spec { get; init; } = new();
    public ServiceStatus? Status { get; init; }
}
