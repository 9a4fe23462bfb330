namespace Platform.Contracts.Resources;

/// <summary>Absolute numbers or percentages of the desired replicas (defaults 25% / 25%).</summary>
public sealed record RollingUpdateDeployment
{
    public IntOrString? MaxUnavailable { get; init; }
    public IntOrString? MaxSurge { get; init; }
}
