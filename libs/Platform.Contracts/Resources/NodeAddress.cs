namespace Platform.Contracts.Resources;

/// <summary><see cref="Type"/>: <c>InternalIP</c>, <c>ExternalIP</c>, <c>Hostname</c>.</summary>
public sealed record NodeAddress
{
    public string? Type { get; init; }
    public string? Address { get; init; }
}
