namespace Platform.Contracts.Resources;

/// <summary>Whether per-ordinal claims are kept (<c>Retain</c>, the default) or deleted with the set or its scale-down.</summary>
public sealed record StatefulSetPersistentVolumeClaimRetentionPolicy
{
    /// <summary><c>Retain</c> or <c>Delete</c>: when the StatefulSet is deleted.</summary>
    public string? WhenDeleted { get; init; }
    /// <summary><c>Retain</c> or <c>Delete</c>: when a pod goes away in a scale-down.</summary>
    public string? WhenScaled { get; init; }
}
