namespace Platform.Contracts.Resources;

/// <summary>A scratch directory that lives as long as the pod on its node.</summary>
public sealed record EmptyDirVolumeSource
{
    /// <summary><c>""</c> (node disk, default) or <c>Memory</c>.</summary>
    public string? Medium { get; init; }
    public string? SizeLimit { get; init; }
}
