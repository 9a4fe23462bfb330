using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Platform.EventBus.Kafka;

/// <summary>Readiness: a broker answers a metadata request.</summary>
internal sealed class KafkaHealthCheck : IHealthCheck, IDisposable
{
    private readonly IAdminClient _admin;
    private readonly string _bootstrap;

    public KafkaHealthCheck(IOptions<KafkaOptions> options)
    {
        _bootstrap = options.Value.BootstrapServers;
        _admin = new AdminClientBuilder(options.Value.ApplyTo(new AdminClientConfig()))
            .SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var md = _admin.GetMetadata(TimeSpan.FromSeconds(2));
            return Task.FromResult(md.Brokers.Count > 0
                ? HealthCheckResult.Healthy($"{md.Brokers.Count} broker(s)")
                : HealthCheckResult.Unhealthy($"Kafka:BootstrapServers {_bootstrap}: no brokers"));
        }
        catch (KafkaException ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"Kafka:BootstrapServers {_bootstrap}: {ex.Error.Reason}"));
        }
    }

    public void Dispose() => _admin.Dispose();
}
