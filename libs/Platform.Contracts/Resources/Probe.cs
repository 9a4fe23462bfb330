namespace Platform.Contracts.Resources;

/// <summary>A liveness, readiness or startup check: exactly one of exec, httpGet or tcpSocket.</summary>
public sealed record Probe
{
    /// <summary>Runs a command in the container; exit status 0 is success.</summary>
    public ExecAction? Exec { get; init; }
    /// <summary>An HTTP GET; a status from 200 to 399 is success.</summary>
    public HttpGetAction? HttpGet { get; init; }
    /// <summary>A TCP connection that opens is success.</summary>
    public TcpSocketAction? TcpSocket { get; init; }
    /// <summary>Seconds after the container starts before the first probe.</summary>
    public int? InitialDelaySeconds { get; init; }
    /// <summary>How often to probe; defaults to 10.</summary>
    public int? PeriodSeconds { get; init; }
    /// <summary>Seconds after which the probe times out; defaults to 1.</summary>
    public int? TimeoutSeconds { get; init; }
    /// <summary>Consecutive successes to count as passing after a failure; defaults to 1.</summary>
    public int? SuccessThreshold { get; init; }
    /// <summary>Consecutive failures to count as failing; defaults to 3.</summary>
    public int? FailureThreshold { get; init; }
}
