namespace Platform.Contracts.Resources;

/// <summary>Which pods a PodDisruptionBudget covers and how many must stay available.</summary>
public sealed record PodDisruptionBudgetSpec
{
    /// <summary>Pods that must stay available (a number or a percentage of the expected pods).</summary>
    public IntOrString? MinAvailable { get; init; }
    /// <summary>Pods that may be unavailable (a number or a percentage); exclusive with <see cref="MinAvailable"/>.</summary>
    public IntOrString? MaxUnavailable { get; init; }
    /// <summary>The pods the budget covers; an empty selector covers every pod of the namespace.</summary>
    public LabelSelector? Selector { get; init; }
    /// <summary>IfHealthyBudget (default) or AlwaysAllow: whether not-ready pods may be evicted regardless.</summary>
    public string? UnhealthyPodEvictionPolicy { get; init; }
}
