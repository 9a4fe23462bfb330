namespace Platform.Contracts.Resources;

/// <summary>Repels pods that do not tolerate it. <see cref="Effect"/>: <c>NoSchedule</c>, <c>PreferNoSchedule</c>, <c>NoExecute</c>.</summary>
public sealed record Taint
{
    public string? Key { get; init; }
    public string? Value { get; init; }
    public string? Effect { get; init; }
    public DateTimeOffset? TimeAdded { get; init; }
}
