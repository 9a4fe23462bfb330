namespace Platform.Contracts.Resources;

/// <summary>Where a container sees one of its pod's volumes.</summary>
public sealed record VolumeMount
{
    /// <summary>The name of a volume of the pod.</summary>
    public string? Name { get; init; }
    /// <summary>The path in the container.</summary>
    public string? MountPath { get; init; }
    /// <summary>Mount read-only; defaults to false.</summary>
    public bool? ReadOnly { get; init; }
}
