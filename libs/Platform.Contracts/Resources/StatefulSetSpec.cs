namespace Platform.Contracts.Resources;

public sealed record StatefulSetSpec
{
    /// <summary>The desired number of pods, ordinals 0 to replicas-1; defaults to 1.</summary>
    public int? Replicas { get; init; }
    /// <summary>The labels of the pods this StatefulSet manages; must match the template's labels. Cannot be changed.</summary>
    public LabelSelector? Selector { get; init; }
    /// <summary>The pod template; changing it starts an update.</summary>
    public PodTemplateSpec? Template { get; init; }
    /// <summary>Claims made per ordinal (<c>&lt;name&gt;-&lt;set&gt;-&lt;ordinal&gt;</c>) and mounted as the template's volume of the same name. Cannot be changed.</summary>
    public List<PersistentVolumeClaim>? VolumeClaimTemplates { get; init; }
    /// <summary>The headless Service that gives the pods their DNS names (<c>web-0.SERVICE.NS.svc</c>). Cannot be changed.</summary>
    public string? ServiceName { get; init; }
    /// <summary><c>OrderedReady</c> (default: one at a time, in order) or <c>Parallel</c>. Cannot be changed.</summary>
    public string? PodManagementPolicy { get; init; }
    /// <summary>How pods are replaced when the template changes: RollingUpdate (default) or OnDelete.</summary>
    public StatefulSetUpdateStrategy? UpdateStrategy { get; init; }
    /// <summary>How many old ControllerRevisions to keep for rollback; defaults to 10.</summary>
    public int? RevisionHistoryLimit { get; init; }
    /// <summary>How long a new pod must be ready, without a container crashing, to count as available.</summary>
    public int? MinReadySeconds { get; init; }
    /// <summary>What happens to the per-ordinal claims when the set is deleted or scaled down (Retain or Delete).</summary>
    public StatefulSetPersistentVolumeClaimRetentionPolicy? PersistentVolumeClaimRetentionPolicy { get; init; }
}
