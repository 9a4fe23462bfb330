namespace Platform.Contracts.Resources;

public sealed record ScaleSpec
{
    public int Replicas { get; init; }
}
