using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Platform.Contracts.Registry;
using Platform.Discovery.Configuration;
using Platform.Discovery.Registry;
using Platform.EventBus.CloudEvents;
using Platform.EventBus.Kafka;

namespace Platform.Discovery.Events;

/// <summary>
/// What Eureka's peer sync at start-up does, from the registry's own topic: before the server listens, the events on
/// <c>platform.registry</c> are read up to their end and every instance whose last event left it registered is put
/// back, with a fresh lease. A restarted server then answers with the registry it had instead of an empty one until
/// every client's next heartbeat (up to 30 s); an instance that died meanwhile expires after its lease, as it would
/// have. Restored entries are not published again. Bounded by <c>Eureka:Server:RestoreTimeout</c>; an unreadable
/// event is skipped and counted, never a reason not to start.
/// </summary>
internal sealed partial class RegistryRestore(InstanceRegistry registry, IOptions<KafkaOptions> kafka, IOptions<EurekaServerOptions> options,
    ILogger<RegistryRestore> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var timeout = options.Value.RestoreTimeout;
        if (timeout <= TimeSpan.Zero) return Task.CompletedTask;
        // librdkafka's consumer blocks; off the start-up thread, but awaited: the server listens after it.
        return Task.Run(() => Restore(options.Value.EventsTopic, timeout), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Restore(string topic, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        var latest = new Dictionary<string, RegistryEvent>(StringComparer.Ordinal);
        var read = 0;
        var skipped = 0;
        try
        {
            using var consumer = new ConsumerBuilder<string?, byte[]>(kafka.Value.ApplyTo(new ConsumerConfig
            {
                GroupId = "discovery-restore-" + Guid.NewGuid().ToString("N"), // never joined or committed: partitions are assigned
                EnableAutoCommit = false,
                EnableAutoOffsetStore = false,
            })).SetErrorHandler((_, _) => { }).SetLogHandler((_, _) => { }).Build();

            var ends = new Dictionary<int, long>();
            using (var admin = new DependentAdminClientBuilder(consumer.Handle).Build())
            {
                var metadata = admin.GetMetadata(topic, timeout);
                foreach (var p in metadata.Topics.SingleOrDefault(t => t.Topic == topic)?.Partitions ?? [])
                {
                    var marks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p.PartitionId), timeout);
                    if (marks.High > marks.Low) ends[p.PartitionId] = marks.High;
                }
            }
            consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
            while (ends.Count > 0 && watch.Elapsed < timeout)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result?.Message is null) continue;
                if (result.Offset.Value + 1 >= ends.GetValueOrDefault(result.Partition.Value, long.MaxValue)) ends.Remove(result.Partition.Value);
                read++;
                try
                {
                    var e = KafkaCloudEventCodec.FromMessage(result.Message).DataAs<RegistryEvent>();
                    if (e is null || string.IsNullOrEmpty(e.App) || string.IsNullOrEmpty(e.InstanceId)) { skipped++; continue; }
                    latest[e.App + "/" + e.InstanceId] = e;
                }
                catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or ArgumentException)
                {
                    skipped++;
                }
            }
            if (ends.Count > 0) LogIncomplete(logger, topic, timeout);
        }
        catch (KafkaException ex)
        {
            LogFailed(logger, topic, ex);
            return;
        }

        var restored = 0;
        foreach (var e in latest.Values.Where(e => e.Action is RegistryEvent.Actions.Registered or RegistryEvent.Actions.StatusChanged))
        {
            if (!EurekaNames.TryParseStatus(e.Status, out var status)) { skipped++; continue; }
            registry.Register(new InstanceInfo
            {
                InstanceId = e.InstanceId,
                App = e.App,
                HostName = e.HostName ?? e.IpAddr ?? "",
                IpAddr = e.IpAddr ?? "",
                Status = status,
                Port = e.Port ?? 0,
                PortEnabled = e.Port is not null,
                SecurePort = e.SecurePort ?? 0,
                SecurePortEnabled = e.SecurePortEnabled,
                VipAddress = e.VipAddress,
                SecureVipAddress = e.SecureVipAddress,
                Metadata = e.Metadata ?? InstanceInfo.Empty,
                // Older than any registration the instance itself sends, so its own next one wins.
                LastDirtyTimestamp = e.Timestamp,
            }, isReplication: true);
            restored++;
        }
        LogRestored(logger, restored, topic, read, skipped, watch.ElapsedMilliseconds);
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "restored {Instances} instances from {Topic} ({Events} events, {Skipped} skipped) in {Ms} ms")]
    private static partial void LogRestored(ILogger logger, int instances, string topic, int events, int skipped, long ms);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "reading {Topic} to restore the registry did not reach its end within {Timeout}; starting with what was read")]
    private static partial void LogIncomplete(ILogger logger, string topic, TimeSpan timeout);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "could not read {Topic} to restore the registry; starting empty")]
    private static partial void LogFailed(ILogger logger, string topic, Exception ex);
}
