using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Prometheus;
using Yarp.ReverseProxy.Model;

namespace Platform.Gateway.Resilience;

/// <summary>
/// Counts transparent connection retries on <c>/metrics</c> and logs an instance's failures once per instance per
/// <see cref="LogPeriod"/>, with how many were left out, so an instance that dies under load costs a few log lines
/// rather than one per request. Retried failures and failures answered to the client are counted apart: a burst of
/// retries never hides the one failure a client saw.
/// </summary>
internal sealed partial class UpstreamFailureReporter(ILogger<UpstreamFailureReporter> logger, TimeProvider time)
{
    public static readonly TimeSpan LogPeriod = TimeSpan.FromSeconds(30);

    private static readonly Counter Retries = Metrics.CreateCounter("gateway_upstream_connection_retries_total",
        "Requests tried again on another instance after a connection failure before any response",
        new CounterConfiguration { LabelNames = ["route", "reason"] });

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    private sealed class Window
    {
        public long NextLog;
        public int Skipped;
    }

    public void Retrying(string routeId, DestinationState failed, string reason)
    {
        Retries.WithLabels(routeId, reason).Inc();
        if (ShouldLog("retried/" + failed.DestinationId, out var skipped))
            LogRetrying(logger, failed.DestinationId, failed.Model.Config.Address, reason, routeId, skipped, LogPeriod.TotalSeconds);
    }

    public void Failed(string routeId, DestinationState failed, string reason, int status)
    {
        if (ShouldLog("answered/" + failed.DestinationId, out var skipped))
            LogFailed(logger, failed.DestinationId, failed.Model.Config.Address, reason, routeId, status, skipped, LogPeriod.TotalSeconds);
    }

    private bool ShouldLog(string key, out int skipped)
    {
        var now = time.GetTimestamp();
        if (_windows.Count > 1024) Prune(now);
        var window = _windows.GetOrAdd(key, _ => new Window());
        lock (window)
        {
            if (now < window.NextLog)
            {
                window.Skipped++;
                skipped = 0;
                return false;
            }
            skipped = window.Skipped;
            window.Skipped = 0;
            window.NextLog = now + (long)(LogPeriod.TotalSeconds * time.TimestampFrequency);
            return true;
        }
    }

    /// <summary>Instances come and go with their pods; windows that ended are forgotten.</summary>
    private void Prune(long now)
    {
        foreach (var (id, w) in _windows)
        {
            if (Volatile.Read(ref w.NextLog) < now) _windows.TryRemove(id, out _);
        }
    }

    [LoggerMessage(EventId = 9600, Level = LogLevel.Warning,
        Message = "upstream instance {DestinationId} ({Address}) failed before answering ({Reason}); request of route {RouteId} tried on another instance ({Skipped} more failures since its previous line; logged once per instance every {PeriodSeconds} s)")]
    private static partial void LogRetrying(ILogger logger, string destinationId, string address, string reason, string routeId, int skipped, double periodSeconds);

    [LoggerMessage(EventId = 9601, Level = LogLevel.Warning,
        Message = "upstream instance {DestinationId} ({Address}) failed ({Reason}); the attempt for route {RouteId} ended {Status} ({Skipped} more failures since its previous line; logged once per instance every {PeriodSeconds} s)")]
    private static partial void LogFailed(ILogger logger, string destinationId, string address, string reason, string routeId, int status, int skipped, double periodSeconds);
}
