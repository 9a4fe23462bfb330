namespace Platform.Contracts.Resources;

/// <summary><see cref="Type"/>: <c>RollingUpdate</c> (default) or <c>OnDelete</c>.</summary>
public sealed record StatefulSetUpdateStrategy
{
    /// <summary><c>RollingUpdate</c> (default: from the highest ordinal down to the partition) or <c>OnDelete</c>.</summary>
    public string? Type { get; init; }
    /// <summary>The rolling update's partition and bound, when type is RollingUpdate.</summary>
    public RollingUpdateStatefulSetStrategy? RollingUpdate { get; init; }
}
