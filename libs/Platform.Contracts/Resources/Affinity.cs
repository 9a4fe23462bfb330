namespace Platform.Contracts.Resources;

public sealed record Affinity
{
    public NodeAffinity? NodeAffinity { get; init; }
}
