using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Platform.EventBus.Kafka;

/// <summary>Fails the host at start, naming the setting and address, when no Kafka broker answers.</summary>
internal sealed class KafkaStartupCheck(IOptions<KafkaOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var admin = new AdminClientBuilder(o.ApplyTo(new AdminClientConfig()))
            .SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
        try
        {
            admin.GetMetadata(TimeSpan.FromSeconds(o.StartupTimeoutSeconds));
        }
        catch (KafkaException ex)
        {
            throw new InvalidOperationException(
                $"Kafka:BootstrapServers: no broker answered at {o.BootstrapServers} within {o.StartupTimeoutSeconds}s ({ex.Error.Reason})", ex);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
