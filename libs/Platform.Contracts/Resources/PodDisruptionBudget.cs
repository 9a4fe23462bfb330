namespace Platform.Contracts.Resources;

/// <summary>
/// <c>policy/v1 PodDisruptionBudget</c>: how many pods of a selector must stay up through voluntary disruptions
/// (evictions by drain and preemption). The controller-manager's disruption controller keeps the status; the
/// eviction API spends <see cref="PodDisruptionBudgetStatus.DisruptionsAllowed"/>.
/// </summary>
public sealed record PodDisruptionBudget : Resource
{
    /// <summary>The condition saying whether an eviction is allowed now.</summary>
    public const string DisruptionAllowedCondition = "DisruptionAllowed";

    public PodDisruptionBudgetSpec Spec { get; init; } = new();
    public PodDisruptionBudgetStatus? Status { get; init; }
}
