using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Platform.EventBus.Kafka;

/// <summary>
/// Readiness: a broker answers a metadata request. One admin client for the process (a singleton: a client per probe
/// opened a connection and librdkafka's threads that nothing closed, about seven threads per <c>/readyz</c>).
/// A failed request within <see cref="Grace"/> of the last answer is <c>Degraded</c> (still ready, with the reason):
/// one slow answer on a loaded machine says little, a cluster silent for longer does.
/// </summary>
internal sealed class KafkaHealthCheck : IHealthCheck, IDisposable
{
    /// <summary>How long after the last answer a failed metadata request leaves the process ready.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(15);

    private readonly IAdminClient _admin;
    private readonly string _bootstrap;
    private readonly TimeProvider _time;
    private long _lastAnswer = -1;

    public KafkaHealthCheck(IOptions<KafkaOptions> options, TimeProvider time)
    {
        _bootstrap = options.Value.BootstrapServers;
        _time = time;
        _admin = new AdminClientBuilder(options.Value.ApplyTo(new AdminClientConfig()))
            .SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        string reason;
        try
        {
            var md = _admin.GetMetadata(TimeSpan.FromSeconds(2));
            if (md.Brokers.Count > 0)
            {
                Interlocked.Exchange(ref _lastAnswer, _time.GetTimestamp());
                return Task.FromResult(HealthCheckResult.Healthy($"{md.Brokers.Count} broker(s)"));
            }
            reason = "no brokers";
        }
        catch (KafkaException ex)
        {
            reason = ex.Error.Reason;
        }
        var failure = $"Kafka:BootstrapServers {_bootstrap}: {reason}";
        var last = Interlocked.Read(ref _lastAnswer);
        if (last < 0) return Task.FromResult(HealthCheckResult.Unhealthy(failure));
        var since = _time.GetElapsedTime(last);
        return Task.FromResult(since < Grace
            ? HealthCheckResult.Degraded($"{failure} (last answer {since.TotalSeconds:0.#} s ago)")
            : HealthCheckResult.Unhealthy(failure));
    }

    public void Dispose() => _admin.Dispose();
}
