namespace Platform.Gateway.Discovery;

/// <summary>One registered instance of an application, as the registry reports it.</summary>
public sealed record ServiceInstance
{
    public required string App { get; init; }
    public required string InstanceId { get; init; }
    public required string Host { get; init; }
    public required int Port { get; init; }
    public bool Secure { get; init; }
    public required string Status { get; init; }
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
    /// <summary>Registry time of the last change (Unix ms), so an older event never overwrites a newer state.</summary>
    public long Timestamp { get; init; }

    public bool IsUp => string.Equals(Status, "UP", StringComparison.OrdinalIgnoreCase);

    public string Address => $"{(Secure ? "https" : "http")}://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}";
}
