using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.EventBus.CloudEvents;
using Platform.EventBus.Kafka;

namespace Platform.EventBus.Producing;

/// <summary>
/// Idempotent producer (<c>enable.idempotence</c>, <c>acks=all</c>): retries cannot duplicate or reorder
/// messages within a partition, so per-key order is kept.
/// </summary>
public sealed partial class KafkaEventPublisher : IEventPublisher, IDisposable
{
    private readonly IProducer<string?, byte[]> _producer;
    private readonly ILogger<KafkaEventPublisher> _logger;

    public KafkaEventPublisher(IOptions<KafkaOptions> options, ILogger<KafkaEventPublisher> logger)
    {
        _logger = logger;
        var o = options.Value;
        var config = new ProducerConfig
        {
            BootstrapServers = o.BootstrapServers,
            ClientId = o.ClientId ?? AppDomain.CurrentDomain.FriendlyName,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 2,
            BatchNumMessages = 10_000,
            MessageTimeoutMs = 30_000,
            CompressionType = CompressionType.Lz4,
        };
        _producer = new ProducerBuilder<string?, byte[]>(config)
            .SetLogHandler((_, m) => LogKafka(_logger, m.Facility, m.Message))
            .SetErrorHandler((_, e) => LogKafkaError(_logger, e.Code.ToString(), e.Reason))
            .Build();
    }

    public async Task PublishAsync(string topic, PlatformEvent e, CancellationToken cancellationToken = default) =>
        await _producer.ProduceAsync(topic, KafkaCloudEventCodec.ToMessage(e), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<Exception?>> PublishBatchAsync(IReadOnlyList<(string Topic, PlatformEvent Event)> events,
        CancellationToken cancellationToken = default)
    {
        var results = new Exception?[events.Count];
        var pending = new TaskCompletionSource[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var index = i;
            var tcs = pending[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                // Produce (not ProduceAsync) queues without awaiting each ack: the whole batch is in flight at once.
                _producer.Produce(events[i].Topic, KafkaCloudEventCodec.ToMessage(events[i].Event), report =>
                {
                    if (report.Error.IsError) results[index] = new KafkaException(report.Error);
                    tcs.TrySetResult();
                });
            }
            catch (Exception ex) when (ex is ProduceException<string?, byte[]> or KafkaException or ArgumentException)
            {
                results[index] = ex;
                tcs.TrySetResult();
            }
        }
        await Task.WhenAll(pending.Select(p => p.Task)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return results;
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "kafka {Facility}: {Message}")]
    private static partial void LogKafka(ILogger logger, string facility, string message);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "kafka producer error {Code}: {Reason}")]
    private static partial void LogKafkaError(ILogger logger, string code, string reason);
}
