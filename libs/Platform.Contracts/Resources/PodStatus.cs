namespace Platform.Contracts.Resources;

public sealed record PodStatus
{
    /// <summary><c>Pending</c>, <c>Running</c>, <c>Succeeded</c>, <c>Failed</c> or <c>Unknown</c>.</summary>
    public string? Phase { get; init; }
    public List<Condition>? Conditions { get; init; }
    public string? Message { get; init; }
    public string? Reason { get; init; }
    public string? HostIP { get; init; }
    /// <summary>The pod's own address on the pod network; for a <c>hostNetwork</c> pod the node's.</summary>
    public string? PodIP { get; init; }
    /// <summary>The pod's addresses, one per IP family, the first equal to <see cref="PodIP"/>.</summary>
    public List<PodIP>? PodIPs { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    /// <summary>The node a preempting pod waits for while its victims go (set by the scheduler's preemption).</summary>
    public string? NominatedNodeName { get; init; }
    /// <summary>Host ports the node agent allocated, by container port name (or number when unnamed).</summary>
    public Dictionary<string, int>? AllocatedPorts { get; init; }
    /// <summary>The init containers' statuses, in <c>spec.initContainers</c> order.</summary>
    public List<ContainerStatus>? InitContainerStatuses { get; init; }
    public List<ContainerStatus>? ContainerStatuses { get; init; }
}
