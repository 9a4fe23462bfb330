namespace Platform.Contracts.Resources;

/// <summary>Absolute numbers or percentages of the desired replicas (defaults 25% / 25%).</summary>
public sealed record RollingUpdateDeployment
{
    /// <summary>How many pods may be unavailable during the update: a number or a percentage of the desired replicas (default 25%).</summary>
    public IntOrString? MaxUnavailable { get; init; }
    /// <summary>How many pods may be created above the desired replicas during the update: a number or a percentage (default 25%).</summary>
    public IntOrString? MaxSurge { get; init; }
}
