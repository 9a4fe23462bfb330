namespace Platform.Contracts.Resources;

/// <summary>Kubernetes' HPAScalingRules: how far one direction may move, and over which past recommendations.</summary>
public sealed record HpaScalingRules
{
    /// <summary>The recommendations of this many past seconds are considered (0–3600).</summary>
    public int? StabilizationWindowSeconds { get; init; }
    /// <summary><c>Max</c>, <c>Min</c> or <c>Disabled</c>.</summary>
    public string? SelectPolicy { get; init; }
    public List<HpaScalingPolicy>? Policies { get; init; }
}
