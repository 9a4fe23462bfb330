namespace Platform.Contracts.Resources;

/// <summary>A resource named by kind and apiVersion in the referrer's namespace.</summary>
public sealed record CrossVersionObjectReference
{
    public string? Kind { get; init; }
    public string? Name { get; init; }
    public string? ApiVersion { get; init; }
}
