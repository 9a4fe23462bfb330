using Confluent.Kafka;
using Platform.EventBus.Kafka;

namespace Platform.Connect.Storage;

/// <summary>
/// A compacted topic read from the beginning and then followed (Kafka Connect's KafkaBasedLog): every record, in
/// order per partition, goes to the callback; <see cref="SendAsync"/> returns once the record has been read back, so
/// a writer sees its own write. With <c>singlePartition</c> every record goes to partition 0, whatever the topic's
/// partition count (a broker that auto-created it may have given it more). The consuming loop runs on its own thread between <see cref="StartAsync"/> and
/// <see cref="StopAsync"/>; no consumer group is used, every worker reads every partition.
/// </summary>
internal sealed class KafkaLog(KafkaOptions kafka, string topic, int partitions, short replicationFactor, Action<string, byte[]?> onRecord,
    bool singlePartition = false) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, long> _positions = [];
    private readonly List<(int Partition, long Offset, TaskCompletionSource Done)> _waiters = [];
    private IProducer<string, byte[]?>? _producer;
    private IConsumer<string, byte[]?>? _consumer;
    private CancellationTokenSource? _stop;
    private Thread? _thread;

    public string Topic => topic;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var count = await TopicAdmin.EnsureTopicAsync(kafka, topic, partitions, replicationFactor,
            new Dictionary<string, string> { ["cleanup.policy"] = "compact" }, cancellationToken);
        _producer = new ProducerBuilder<string, byte[]?>(kafka.ApplyTo(new ProducerConfig
        {
            Acks = Acks.All,
            EnableIdempotence = true,
            // Java's default partitioner, so a key lands where Kafka Connect would put it.
            Partitioner = Partitioner.Murmur2Random,
            LingerMs = 0,
        })).SetLogHandler((_, _) => { }).Build();
        _consumer = new ConsumerBuilder<string, byte[]?>(kafka.ApplyTo(new ConsumerConfig
        {
            GroupId = "unused-" + topic,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnablePartitionEof = false,
        })).SetLogHandler((_, _) => { }).Build();
        _consumer.Assign(Enumerable.Range(0, count).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        _stop = new CancellationTokenSource();
        _thread = new Thread(ConsumeLoop) { IsBackground = true, Name = "connect-log-" + topic };
        _thread.Start();
        await ReadToEndAsync(cancellationToken);
    }

    /// <summary>Returns once every record written to the topic before the call has been passed to the callback.</summary>
    public async Task ReadToEndAsync(CancellationToken cancellationToken)
    {
        var consumer = _consumer ?? throw new InvalidOperationException("log not started");
        var waits = new List<Task>();
        foreach (var tp in consumer.Assignment)
        {
            var marks = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10));
            if (marks.High.Value > 0) waits.Add(WaitForAsync(tp.Partition.Value, marks.High.Value - 1));
        }
        await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
    }

    /// <summary>Writes the records in order (null value: tombstone) and waits until they were read back.</summary>
    public async Task SendAsync(IReadOnlyList<(string Key, byte[]? Value)> records, CancellationToken cancellationToken)
    {
        var producer = _producer ?? throw new InvalidOperationException("log not started");
        DeliveryResult<string, byte[]?>? last = null;
        var results = new List<DeliveryResult<string, byte[]?>>();
        foreach (var (key, value) in records)
        {
            var message = new Message<string, byte[]?> { Key = key, Value = value };
            // The config topic's records are read in write order (task configs before their commit): one partition.
            results.Add(last = singlePartition
                ? await producer.ProduceAsync(new TopicPartition(topic, 0), message, cancellationToken)
                : await producer.ProduceAsync(topic, message, cancellationToken));
        }
        foreach (var r in results.GroupBy(r => r.Partition.Value))
            await WaitForAsync(r.Key, r.Max(x => x.Offset.Value)).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        _ = last;
    }

    private Task WaitForAsync(int partition, long offset)
    {
        lock (_lock)
        {
            if (_positions.TryGetValue(partition, out var pos) && pos > offset) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((partition, offset, done));
            return done.Task;
        }
    }

    private void ConsumeLoop()
    {
        var token = _stop!.Token;
        while (!token.IsCancellationRequested)
        {
            ConsumeResult<string, byte[]?>? r;
            try
            {
                r = _consumer!.Consume(token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ConsumeException)
            {
                // A transient fetch error (leader moving): librdkafka retries; the position is unchanged.
                continue;
            }
            if (r?.Message is null) continue;
            onRecord(r.Message.Key, r.Message.Value);
            lock (_lock)
            {
                _positions[r.Partition.Value] = r.Offset.Value + 1;
                for (var i = _waiters.Count - 1; i >= 0; i--)
                {
                    var w = _waiters[i];
                    if (w.Partition != r.Partition.Value || w.Offset > r.Offset.Value) continue;
                    _waiters.RemoveAt(i);
                    w.Done.TrySetResult();
                }
            }
        }
    }

    public async Task StopAsync()
    {
        if (_stop is null || _stop.IsCancellationRequested) return;
        await _stop.CancelAsync();
        _thread?.Join(TimeSpan.FromSeconds(10));
        _consumer?.Close();
        _producer?.Flush(TimeSpan.FromSeconds(5));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _consumer?.Dispose();
        _producer?.Dispose();
        _stop?.Dispose();
        _stop = null;
    }
}
