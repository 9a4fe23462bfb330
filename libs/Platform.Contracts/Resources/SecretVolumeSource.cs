namespace Platform.Contracts.Resources;

/// <summary>The keys of a Secret as files, one per key (decoded).</summary>
public sealed record SecretVolumeSource
{
    public string? SecretName { get; init; }
    public bool? Optional { get; init; }
}
