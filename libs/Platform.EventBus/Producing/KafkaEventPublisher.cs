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
    private readonly ILogger<KafkaEventPublisher> _logger;
    private readonly ProducerConfig _config;
    private readonly Lock _gate = new();
    private IProducer<string?, byte[]> _producer;
    private volatile bool _fatal;

    public KafkaEventPublisher(IOptions<KafkaOptions> options, ILogger<KafkaEventPublisher> logger)
    {
        _logger = logger;
        var o = options.Value;
        _config = o.ApplyTo(new ProducerConfig
        {
            ClientId = o.ClientId ?? AppDomain.CurrentDomain.FriendlyName,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 2,
            BatchNumMessages = 10_000,
            MessageTimeoutMs = o.MessageTimeoutMs,
            CompressionType = o.Compression.ToKafka(),
        });
        _producer = Build();
    }

    private IProducer<string?, byte[]> Build() => new ProducerBuilder<string?, byte[]>(_config)
        .SetLogHandler((_, m) => LogKafka(_logger, m.Facility, m.Message))
        .SetErrorHandler((_, e) =>
        {
            LogKafkaError(_logger, e.Code.ToString(), e.Reason);
            if (e.IsFatal) _fatal = true;
        })
        .Build();

    // An idempotent producer can hit a fatal error (e.g. after messages timed out during an outage); it then
    // refuses everything, so the next publish replaces it. Unacknowledged events are still in the caller's hands.
    private IProducer<string?, byte[]> Producer()
    {
        if (!_fatal) return _producer;
        lock (_gate)
        {
            if (!_fatal) return _producer;
            var old = _producer;
            _producer = Build();
            _fatal = false;
            old.Dispose();
            LogProducerReplaced(_logger);
            return _producer;
        }
    }

    public async Task PublishAsync(string topic, PlatformEvent e, CancellationToken cancellationToken = default) =>
        await Producer().ProduceAsync(topic, KafkaCloudEventCodec.ToMessage(e), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<Exception?>> PublishBatchAsync(IReadOnlyList<(string Topic, PlatformEvent Event)> events,
        CancellationToken cancellationToken = default)
    {
        var producer = Producer();
        var results = new Exception?[events.Count];
        var pending = new TaskCompletionSource[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var index = i;
            var tcs = pending[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                // Produce (not ProduceAsync) queues without awaiting each ack: the whole batch is in flight at once.
                producer.Produce(events[i].Topic, KafkaCloudEventCodec.ToMessage(events[i].Event), report =>
                {
                    if (report.Error.IsError)
                    {
                        results[index] = new KafkaException(report.Error);
                        if (report.Error.IsFatal) _fatal = true;
                    }
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

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "kafka producer had a fatal error; replaced it with a new one")]
    private static partial void LogProducerReplaced(ILogger logger);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "kafka producer error {Code}: {Reason}")]
    private static partial void LogKafkaError(ILogger logger, string code, string reason);
}
