namespace Platform.Contracts.Resources;

/// <summary>Requests (what the scheduler reserves) and limits (the cap the runtime enforces), as quantities.</summary>
public sealed record ResourceRequirements
{
    public ResourceList? Requests { get; init; }
    public ResourceList? Limits { get; init; }
}
