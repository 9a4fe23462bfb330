namespace Platform.Contracts.Resources;

public sealed record ReplicaSetSpec
{
    /// <summary>Defaults to 1.</summary>
    public int? Replicas { get; init; }
    /// <summary>How long a new pod must be ready, without a container crashing, to count as available.</summary>
    public int? MinReadySeconds { get; init; }
    /// <summary>The labels of the pods this ReplicaSet counts; must match the template's labels.</summary>
    public LabelSelector? Selector { get; init; }
    /// <summary>The pod created when there are fewer replicas than desired.</summary>
    public PodTemplateSpec? Template { get; init; }
}
