using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.EventBus.Kafka;
using Platform.EventBus.Producing;

namespace Platform.EventBus.Tests;

internal static class TestHost
{
    public static KafkaEventPublisher Publisher(string bootstrap) =>
        new(Options.Create(new KafkaOptions { BootstrapServers = bootstrap }), NullLogger<KafkaEventPublisher>.Instance);
}
