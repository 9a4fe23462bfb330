using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using Platform.Contracts.Events;
using Platform.EventBus.CloudEvents;

namespace Platform.Bench.Chaos;

/// <summary>
/// A consumer of <c>platform.configmaps</c> from the offsets the topic had when the run began, as an integration
/// reading the cluster's topic would: counts how often each resourceVersion of the run's namespace arrives.
/// </summary>
internal sealed class EventTap(string bootstrap, string ns) : IDisposable
{
    private readonly ConcurrentDictionary<long, int> _seen = new();
    private readonly IConsumer<string?, byte[]> _consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
    {
        BootstrapServers = bootstrap,
        GroupId = "chaos-" + Guid.NewGuid().ToString("N"),
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
    }).SetErrorHandler((_, _) => { }).SetLogHandler((_, _) => { }).Build();

    public int Malformed { get; private set; }

    public bool Saw(long resourceVersion) => _seen.ContainsKey(resourceVersion);

    /// <summary>Deliveries beyond the first of a resourceVersion (at-least-once redelivery; consumers dedupe by it).</summary>
    public int Redelivered(IEnumerable<long> versions) => versions.Sum(v => Math.Max(0, _seen.GetValueOrDefault(v) - 1));

    /// <summary>Pins the start to the current end of every partition, before the first write.</summary>
    public void Start()
    {
        var partitions = Topics.All.Single(t => t.Name == Topics.ConfigMaps).Partitions;
        var start = Enumerable.Range(0, partitions).Select(p =>
        {
            var tp = new TopicPartition(Topics.ConfigMaps, p);
            return new TopicPartitionOffset(tp, _consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High);
        }).ToList();
        _consumer.Assign(start);
    }

    public Task RunAsync(CancellationToken stop) => Task.Run(() =>
    {
        while (!stop.IsCancellationRequested)
        {
            ConsumeResult<string?, byte[]>? result;
            try { result = _consumer.Consume(TimeSpan.FromMilliseconds(200)); }
            catch (ConsumeException) { continue; }
            if (result?.Message is null) continue;
            try
            {
                var e = KafkaCloudEventCodec.FromMessage(result.Message);
                using var doc = JsonDocument.Parse(e.Data);
                var metadata = doc.RootElement.GetProperty("metadata");
                if (metadata.GetProperty("namespace").GetString() != ns) continue;
                var rv = long.Parse(e.Extensions["resourceversion"], CultureInfo.InvariantCulture);
                _seen.AddOrUpdate(rv, 1, (_, n) => n + 1);
            }
            catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                Malformed++;
            }
        }
    }, CancellationToken.None);

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}
