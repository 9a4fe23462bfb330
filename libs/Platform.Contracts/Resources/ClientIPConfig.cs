namespace Platform.Contracts.Resources;

/// <summary><c>sessionAffinityConfig.clientIP</c>.</summary>
public sealed record ClientIPConfig
{
    /// <summary>How long a client IP sticks to one endpoint, 1-86400 seconds (default 10800, 3 hours).</summary>
    public int? TimeoutSeconds { get; init; }
}
