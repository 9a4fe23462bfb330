namespace Platform.Contracts.Resources;

/// <summary>Numbers or percentages of the desired nodes (defaults: maxUnavailable 1, maxSurge 0); not both zero.</summary>
public sealed record RollingUpdateDaemonSet
{
    /// <summary>How many nodes may be without an available pod during the update.</summary>
    public IntOrString? MaxUnavailable { get; init; }
    /// <summary>How many nodes may run an old and a new pod at once during the update.</summary>
    public IntOrString? MaxSurge { get; init; }
}
