namespace Platform.Contracts.Resources;

/// <summary><see cref="Type"/>: <c>RollingUpdate</c> (default) or <c>OnDelete</c>.</summary>
public sealed record DaemonSetUpdateStrategy
{
    /// <summary><c>RollingUpdate</c> (default) or <c>OnDelete</c> (pods are replaced only when deleted).</summary>
    public string? Type { get; init; }
    /// <summary>The rolling update's bounds, when type is RollingUpdate.</summary>
    public RollingUpdateDaemonSet? RollingUpdate { get; init; }
}
