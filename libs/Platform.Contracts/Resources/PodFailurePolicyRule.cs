namespace Platform.Contracts.Resources;

/// <summary>One rule: matched on exit codes or on pod conditions (exactly one of the two).</summary>
public sealed record PodFailurePolicyRule
{
    /// <summary><c>FailJob</c>, <c>FailIndex</c>, <c>Ignore</c> or <c>Count</c>.</summary>
    public string? Action { get; init; }
    public PodFailurePolicyOnExitCodesRequirement? OnExitCodes { get; init; }
    public List<PodFailurePolicyOnPodConditionsPattern>? OnPodConditions { get; init; }
}
