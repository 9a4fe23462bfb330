namespace Platform.Contracts.Resources;

public sealed record DeploymentSpec
{
    /// <summary>The desired number of pods; defaults to 1.</summary>
    public int? Replicas { get; init; }
    /// <summary>The labels of the pods this Deployment manages; must match the template's labels. Cannot be changed.</summary>
    public LabelSelector? Selector { get; init; }
    /// <summary>The pod template; changing it starts a rollout.</summary>
    public PodTemplateSpec? Template { get; init; }
    /// <summary>How pods are replaced by new ones: RollingUpdate (default) or Recreate.</summary>
    public DeploymentStrategy? Strategy { get; init; }
    /// <summary>How long a new pod must be ready, without a container crashing, to count as available.</summary>
    public int? MinReadySeconds { get; init; }
    /// <summary>How many old ReplicaSets to keep for rollback; defaults to 10.</summary>
    public int? RevisionHistoryLimit { get; init; }
    /// <summary>How long a rollout may make no progress before it is reported failed; defaults to 600.</summary>
    public int? ProgressDeadlineSeconds { get; init; }
    /// <summary>While true, template changes do not start a rollout.</summary>
    public bool? Paused { get; init; }
}
