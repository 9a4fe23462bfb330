namespace Platform.Contracts.Resources;

public sealed record ReplicaSetSpec
{
    /// <summary>Defaults to 1.</summary>
    public int? Replicas { get; init; }
    public int? MinReadySeconds { get; init; }
    public LabelSelector? Selector { get; init; }
    public PodTemplateSpec? Template { get; init; }
}
