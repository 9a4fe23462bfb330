namespace Platform.Contracts.Resources;

/// <summary>Where a container sees one of its pod's volumes.</summary>
public sealed record VolumeMount
{
    /// <summary>The name of a volume of the pod.</summary>
    public string? Name { get; init; }
    /// <summary>The absolute path in the container; no <c>..</c> segment.</summary>
    public string? MountPath { get; init; }
    /// <summary>A path inside the volume to mount instead of its root: relative, no <c>..</c> segment.</summary>
    public string? SubPath { get; init; }
    /// <summary>Mount read-only; defaults to false.</summary>
    public bool? ReadOnly { get; init; }
}
