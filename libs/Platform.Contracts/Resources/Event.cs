namespace Platform.Contracts.Resources;

/// <summary>
/// <c>apiVersion: v1</c>, <c>kind: Event</c>: something that happened to an object (Scheduled, FailedScheduling,
/// Pulled, Started, Unhealthy, Killing, ScalingReplicaSet ...). On Kafka: <c>platform.events</c>, keyed
/// <c>namespace/involved-object-name</c>.
/// </summary>
public sealed record Event : Resource
{
    public ObjectReference InvolvedObject { get; init; } = new();
    public string? Reason { get; init; }
    public string? Message { get; init; }
    /// <summary><c>Normal</c> or <c>Warning</c>.</summary>
    public string? Type { get; init; }
    public int? Count { get; init; }
    public DateTimeOffset? FirstTimestamp { get; init; }
    public DateTimeOffset? LastTimestamp { get; init; }
    public EventSource? Source { get; init; }
}
