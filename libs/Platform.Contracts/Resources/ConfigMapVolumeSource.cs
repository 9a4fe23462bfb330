namespace Platform.Contracts.Resources;

/// <summary>The keys of a ConfigMap as files, one per key.</summary>
public sealed record ConfigMapVolumeSource
{
    public string? Name { get; init; }
    public bool? Optional { get; init; }
}
