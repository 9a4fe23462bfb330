namespace Platform.Contracts.Resources;

public sealed record DaemonSetSpec
{
    /// <summary>The labels of the pods this DaemonSet manages; must match the template's labels. Cannot be changed.</summary>
    public LabelSelector? Selector { get; init; }
    /// <summary>The pod run on each node; its nodeSelector, node affinity and tolerations decide which nodes.</summary>
    public PodTemplateSpec? Template { get; init; }
    /// <summary>How pods are replaced when the template changes: RollingUpdate (default) or OnDelete.</summary>
    public DaemonSetUpdateStrategy? UpdateStrategy { get; init; }
    /// <summary>How long a new pod must be ready, without a container crashing, to count as available.</summary>
    public int? MinReadySeconds { get; init; }
    /// <summary>How many old ControllerRevisions to keep for rollback; defaults to 10.</summary>
    public int? RevisionHistoryLimit { get; init; }
}
