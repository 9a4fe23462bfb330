namespace Platform.Contracts.Resources;

public sealed record PodStatus
{
    /// <summary><c>Pending</c>, <c>Running</c>, <c>Succeeded</c>, <c>Failed</c> or <c>Unknown</c>.</summary>
    public string? Phase { get; init; }
    public List<Condition>? Conditions { get; init; }
    public string? Message { get; init; }
    public string? Reason { get; init; }
    public string? HostIP { get; init; }
    public string? PodIP { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    /// <summary>Host ports the node agent allocated, by container port name (or number when unnamed).</summary>
    public Dictionary<string, int>? AllocatedPorts { get; init; }
    /// <summary>The init containers' statuses, in <c>spec.initContainers</c> order.</summary>
    public List<ContainerStatus>? InitContainerStatuses { get; init; }
    public List<ContainerStatus>? ContainerStatuses { get; init; }
}
