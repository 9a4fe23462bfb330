namespace Platform.Contracts.Resources;

/// <summary>The spec of a PersistentVolumeClaim, as a volume claim template carries it.</summary>
public sealed record StatefulSetClaimTemplateSpec
{
    /// <summary>ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod; at least one.</summary>
    public List<string>? AccessModes { get; init; }
    /// <summary>Matches pre-made volumes by label.</summary>
    public LabelSelector? Selector { get; init; }
    /// <summary><c>requests.storage</c>: the least size wanted; required.</summary>
    public ResourceRequirements? Resources { get; init; }
    /// <summary>Binds to this volume by name.</summary>
    public string? VolumeName { get; init; }
    /// <summary>Null: the default StorageClass; empty: only volumes without a class.</summary>
    public string? StorageClassName { get; init; }
    /// <summary><c>Filesystem</c> (default) or <c>Block</c>.</summary>
    public string? VolumeMode { get; init; }
}
