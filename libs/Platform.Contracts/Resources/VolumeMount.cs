namespace Platform.Contracts.Resources;

/// <summary>Where a container sees one of its pod's volumes.</summary>
public sealed record VolumeMount
{
    public string? Name { get; init; }
    public string? MountPath { get; init; }
    public bool? ReadOnly { get; init; }
}
