namespace Platform.Contracts.Resources;

/// <summary>
/// <c>apiVersion: v1</c>, <c>kind: LimitRange</c>: per-container and per-pod bounds on cpu and memory in a namespace,
/// and the requests and limits a container that declares none is given when its pod is created.
/// </summary>
public sealed record LimitRange : Resource
{
    public LimitRangeSpec Spec { get; init; } = new();
}
