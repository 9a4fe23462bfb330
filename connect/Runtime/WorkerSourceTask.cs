using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Platform.Connect.Api.Connectors;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Runtime;

/// <summary>
/// Runs a source task: poll, transform, convert, produce; a record's source offset becomes committable once the broker
/// acknowledged it, and committed offsets are flushed every <c>Connect:OffsetFlushIntervalMs</c> and on stop.
/// </summary>
internal sealed class WorkerSourceTask(TaskContext context, ISourceTask task) : TaskRunner(context), ISourceTaskContext
{
    private readonly Dictionary<string, (JsonObject Partition, JsonObject Offset, IReadOnlyDictionary<string, object?> Original)> _pending = [];

    public IReadOnlyDictionary<string, object?>? Offset(IReadOnlyDictionary<string, object?> partition)
    {
        var offset = Context.Offsets.Get(Context.Id.Connector, ToJson(partition));
        return offset is null ? null : (IReadOnlyDictionary<string, object?>?)Converters.JsonValueCodec.ReadSchemaless(offset);
    }

    public Task<IReadOnlyList<IReadOnlyDictionary<string, byte[]?>?>> LastRecordHeadersAsync(string topic, CancellationToken cancellationToken) =>
        Storage.TopicTail.LastRecordHeadersAsync(Context.Kafka, topic, cancellationToken);

    public void LogDebug(string message) => Context.Logger.LogDebug("task {Task}: {Message}", Id, message);

    protected override async Task RunAsync(CancellationToken token)
    {
        var config = Context.ConnectorConfig;
        var keyConverter = ConverterFactory.Create(config, Context.Plugins, isKey: true);
        var valueConverter = ConverterFactory.Create(config, Context.Plugins, isKey: false);
        var chain = TransformationChain.Create(config, Context.Plugins);
        var errors = new RetryWithTolerance(config, TimeProvider.System);
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(Context.Kafka.ApplyTo(new ProducerConfig
        {
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
        })).SetLogHandler((_, _) => { }).Build();
        task.Start(Context.TaskConfig, this);
        var lastFlush = DateTime.UtcNow;
        try
        {
            while (await WaitWhilePausedAsync(token))
            {
                var records = await task.PollAsync(token);
                var sends = new List<Task>();
                var acknowledged = new Dictionary<string, (JsonObject, JsonObject, IReadOnlyDictionary<string, object?>)>();
                foreach (var record in records)
                {
                    var (transformed, _) = await errors.ExecuteAsync(() => chain.Apply(record), token);
                    if (transformed is not null)
                    {
                        var (message, _) = await errors.ExecuteAsync(() => new Message<byte[]?, byte[]?>
                        {
                            Key = keyConverter.FromConnectData(transformed.Topic, transformed.KeySchema, transformed.Key),
                            Value = valueConverter.FromConnectData(transformed.Topic, transformed.ValueSchema, transformed.Value),
                            Timestamp = transformed.Timestamp is { } ts ? new Timestamp(ts) : Timestamp.Default,
                            Headers = KafkaHeaders(transformed.Headers),
                        }, token);
                        // Not cancelled on stop: a record handed to the producer is awaited, so its offset is committed
                        // with it and a restart neither loses nor repeats it.
                        if (message is not null)
                            sends.Add(transformed.KafkaPartition is { } p
                                ? producer.ProduceAsync(new TopicPartition(transformed.Topic, p), message, CancellationToken.None)
                                : producer.ProduceAsync(transformed.Topic, message, CancellationToken.None));
                    }
                    // Offsets of skipped and dropped records count as processed too, so they are not read again.
                    var partition = ToJson(record.SourcePartition);
                    acknowledged[Storage.OffsetKey.Canonical(partition)] = (partition, ToJson(record.SourceOffset), record.SourceOffset);
                }
                // Only offsets of a batch the broker took in full become committable.
                await Task.WhenAll(sends);
                foreach (var (key, value) in acknowledged) _pending[key] = value;
                if (DateTime.UtcNow - lastFlush >= Context.OffsetFlushInterval)
                {
                    await FlushAsync(token);
                    lastFlush = DateTime.UtcNow;
                }
            }
        }
        finally
        {
            producer.Flush(TimeSpan.FromSeconds(10));
            // Everything acknowledged above is committed (and the task told) before it stops, so a restart resumes right after it.
            try
            {
                await FlushAsync(CancellationToken.None);
            }
            finally
            {
                task.Stop();
            }
        }
    }

    private async Task FlushAsync(CancellationToken token)
    {
        if (_pending.Count == 0) return;
        var batch = _pending.Values.Select(v => (v.Partition, (JsonObject?)v.Offset)).ToList();
        var committed = _pending.Values.Select(v => v.Original).ToList();
        await Context.Offsets.PutAsync(Context.Id.Connector, batch, token);
        _pending.Clear();
        await task.CommitAsync(committed, token);
    }

    private static Headers? KafkaHeaders(IReadOnlyDictionary<string, byte[]?> headers)
    {
        if (headers.Count == 0) return null;
        var kafka = new Headers();
        foreach (var (key, value) in headers) kafka.Add(key, value);
        return kafka;
    }

    private static JsonObject ToJson(IReadOnlyDictionary<string, object?> map) =>
        JsonSerializer.SerializeToNode(map) as JsonObject ?? [];
}
