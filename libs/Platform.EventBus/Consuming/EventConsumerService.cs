using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Events;
using Platform.EventBus.CloudEvents;
using Platform.EventBus.Kafka;

namespace Platform.EventBus.Consuming;

/// <summary>
/// A consumer-group member that hands each message to an <see cref="IEventHandler"/> in partition order.
/// An offset is stored only after the handler succeeded (or the message was dead-lettered) and committed
/// explicitly, so a crash re-delivers instead of losing. Failures retry with exponential back-off and jitter;
/// after <see cref="EventConsumerOptions.MaxAttempts"/> the message goes to <c>&lt;topic&gt;.dlq</c> with the error in headers.
/// </summary>
public sealed partial class EventConsumerService(
    EventConsumerOptions options,
    KafkaOptions kafka,
    IEventHandler handler,
    ILogger<EventConsumerService> logger,
    TimeProvider time) : BackgroundService
{
    public const string ErrorHeader = "dlq-error";
    public const string AttemptsHeader = "dlq-attempts";
    public const string OriginalTopicHeader = "dlq-original-topic";
    public const string OriginalPartitionHeader = "dlq-original-partition";
    public const string OriginalOffsetHeader = "dlq-original-offset";

    /// <summary>Partitions currently assigned, for readiness and tests.</summary>
    public IReadOnlyCollection<TopicPartition> Assignment { get; private set; } = [];

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        options.Validate();
        // Consume() blocks, so the loop owns a thread of its own instead of a pool thread.
        return Task.Factory.StartNew(() => RunAsync(stoppingToken), stoppingToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var config = kafka.ApplyTo(new ConsumerConfig
        {
            ClientId = kafka.ClientId ?? options.GroupId,
            GroupId = options.GroupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = options.AutoOffsetReset,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            AllowAutoCreateTopics = true,
            SessionTimeoutMs = (int)options.SessionTimeout.TotalMilliseconds,
        });
        using var deadLetters = new ProducerBuilder<string?, byte[]>(kafka.ApplyTo(new ProducerConfig
        {
            EnableIdempotence = true, Acks = Acks.All, CompressionType = kafka.Compression.ToKafka(),
        })).Build();
        using var consumer = new ConsumerBuilder<string?, byte[]>(config)
            .SetPartitionsAssignedHandler((c, parts) => { Assignment = [.. c.Assignment, .. parts]; })
            .SetPartitionsRevokedHandler((c, parts) =>
            {
                CommitStored(c);
                Assignment = [.. c.Assignment.Except(parts.Select(p => p.TopicPartition))];
            })
            .SetErrorHandler((_, e) => LogConsumerError(logger, options.GroupId, e.Code.ToString(), e.Reason))
            .SetLogHandler((_, _) => { })
            .Build();
        consumer.Subscribe(options.Topics);
        var lastCommit = time.GetTimestamp();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                ConsumeResult<string?, byte[]>? result;
                try { result = consumer.Consume(ct); }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    LogConsumerError(logger, options.GroupId, ex.Error.Code.ToString(), ex.Error.Reason);
                    continue;
                }
                if (result is null || result.IsPartitionEOF) continue;

                await ProcessAsync(result, deadLetters, ct).ConfigureAwait(false);
                consumer.StoreOffset(result);
                if (time.GetElapsedTime(lastCommit) >= options.CommitInterval)
                {
                    CommitStored(consumer);
                    lastCommit = time.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutdown: fall through to commit what was handled.
        }
        finally
        {
            CommitStored(consumer);
            consumer.Close();
        }
    }

    private async Task ProcessAsync(ConsumeResult<string?, byte[]> result, IProducer<string?, byte[]> deadLetters, CancellationToken ct)
    {
        Exception? last = null;
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            try
            {
                var e = KafkaCloudEventCodec.FromMessage(result.Message);
                await handler.HandleAsync(new ConsumedEvent(e, result.Topic, result.Partition.Value, result.Offset.Value, attempt), ct)
                    .ConfigureAwait(false);
                return;
            }
            catch (FormatException ex)
            {
                last = ex; // not a CloudEvent: retrying cannot help
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                last = ex;
                LogHandlerFailed(logger, ex, result.Topic, result.Partition.Value, result.Offset.Value, attempt, options.MaxAttempts);
                if (attempt < options.MaxAttempts) await Task.Delay(Backoff(attempt), time, ct).ConfigureAwait(false);
            }
        }
        await DeadLetterAsync(result, deadLetters, last!, ct).ConfigureAwait(false);
    }

    private async Task DeadLetterAsync(ConsumeResult<string?, byte[]> result, IProducer<string?, byte[]> producer, Exception error, CancellationToken ct)
    {
        var headers = new Headers();
        foreach (var h in result.Message.Headers ?? []) headers.Add(h.Key, h.GetValueBytes());
        headers.Add(ErrorHeader, Encoding.UTF8.GetBytes($"{error.GetType().Name}: {error.Message}"));
        headers.Add(AttemptsHeader, Encoding.UTF8.GetBytes(options.MaxAttempts.ToString(CultureInfo.InvariantCulture)));
        headers.Add(OriginalTopicHeader, Encoding.UTF8.GetBytes(result.Topic));
        headers.Add(OriginalPartitionHeader, Encoding.UTF8.GetBytes(result.Partition.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(OriginalOffsetHeader, Encoding.UTF8.GetBytes(result.Offset.Value.ToString(CultureInfo.InvariantCulture)));
        var dlq = Topics.DeadLetterOf(result.Topic);
        // The offset is stored only after the dead letter is acknowledged, so nothing is lost if this fails.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await producer.ProduceAsync(dlq, new Message<string?, byte[]> { Key = result.Message.Key, Value = result.Message.Value, Headers = headers }, ct)
                    .ConfigureAwait(false);
                LogDeadLettered(logger, result.Topic, result.Partition.Value, result.Offset.Value, dlq);
                return;
            }
            catch (ProduceException<string?, byte[]> ex)
            {
                LogHandlerFailed(logger, ex, dlq, -1, -1, attempt, int.MaxValue);
                await Task.Delay(Backoff(attempt), time, ct).ConfigureAwait(false);
            }
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var ms = options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 20));
        ms = Math.Min(ms, options.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ms * (0.8 + Random.Shared.NextDouble() * 0.4));
    }

    private void CommitStored(IConsumer<string?, byte[]> consumer)
    {
        try { consumer.Commit(); }
        catch (KafkaException ex) when (ex.Error.Code is ErrorCode.Local_NoOffset)
        {
            // Nothing stored since the last commit.
        }
        catch (KafkaException ex)
        {
            LogConsumerError(logger, options.GroupId, ex.Error.Code.ToString(), "commit failed: " + ex.Error.Reason);
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "consumer group {GroupId} error {Code}: {Reason}")]
    private static partial void LogConsumerError(ILogger logger, string groupId, string code, string reason);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "handling {Topic}[{Partition}]@{Offset} failed (attempt {Attempt}/{MaxAttempts})")]
    private static partial void LogHandlerFailed(ILogger logger, Exception ex, string topic, int partition, long offset, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "dead-lettered {Topic}[{Partition}]@{Offset} to {DeadLetterTopic}")]
    private static partial void LogDeadLettered(ILogger logger, string topic, int partition, long offset, string deadLetterTopic);
}
