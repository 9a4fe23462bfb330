namespace Platform.Gateway.Filters.Samples;

/// <summary>The seed's <c>Config</c> of GlobalFilter and LoggingFilter.</summary>
public sealed class LoggerConfig
{
    public string? BaseMessage { get; set; }
    public bool PreLogger { get; set; }
    public bool PostLogger { get; set; }
}
