namespace Platform.Contracts.Resources;

public sealed record PodSpec
{
    public List<Container> Containers { get; init; } = [];
    public List<Container>? InitContainers { get; init; }
    public List<Volume>? Volumes { get; init; }
    /// <summary><c>Always</c> (default), <c>OnFailure</c> or <c>Never</c>.</summary>
    public string? RestartPolicy { get; init; }
    /// <summary>Set by the scheduler through the <c>binding</c> subresource.</summary>
    public string? NodeName { get; init; }
    public Dictionary<string, string>? NodeSelector { get; init; }
    public Affinity? Affinity { get; init; }
    public List<Toleration>? Tolerations { get; init; }
    public List<TopologySpreadConstraint>? TopologySpreadConstraints { get; init; }
    public long? TerminationGracePeriodSeconds { get; init; }
    public string? SchedulerName { get; init; }
    public int? Priority { get; init; }
}
