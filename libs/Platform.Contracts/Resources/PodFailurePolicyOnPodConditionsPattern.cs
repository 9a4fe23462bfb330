namespace Platform.Contracts.Resources;

/// <summary>Matches a failed pod with a condition of this type and status (e.g. <c>DisruptionTarget</c> True).</summary>
public sealed record PodFailurePolicyOnPodConditionsPattern
{
    public string? Type { get; init; }
    /// <summary>True (default), False or Unknown.</summary>
    public string? Status { get; init; }
}
