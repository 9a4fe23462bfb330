namespace Platform.Contracts.Resources;

/// <summary>Lets a pod run on a node with a matching taint. <see cref="Operator"/> is <c>Equal</c> (default) or <c>Exists</c>.</summary>
public sealed record Toleration
{
    public string? Key { get; init; }
    public string? Operator { get; init; }
    public string? Value { get; init; }
    /// <summary><c>NoSchedule</c>, <c>PreferNoSchedule</c>, <c>NoExecute</c>, or empty for all effects.</summary>
    public string? Effect { get; init; }
    public long? TolerationSeconds { get; init; }

    /// <summary>Kubernetes' ToleratesTaint: an empty key with <c>Exists</c> tolerates every key, an empty effect every effect.</summary>
    public bool Tolerates(Taint taint) =>
        (string.IsNullOrEmpty(Effect) || Effect == taint.Effect)
        && (Operator == "Exists" ? string.IsNullOrEmpty(Key) || Key == taint.Key : Key == taint.Key && (Value ?? "") == (taint.Value ?? ""));
}
