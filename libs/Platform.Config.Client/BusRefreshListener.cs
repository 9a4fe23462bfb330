using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Platform.Config.Client;

/// <summary>
/// Listens on the Spring Cloud Bus topic for <c>RefreshRemoteApplicationEvent</c>s addressed to this application.
/// Every instance is its own consumer group (a bus event is a broadcast, not a work item) and starts at the end
/// of the topic, so old refreshes are not replayed at start-up.
/// </summary>
internal sealed class BusRefreshListener : IDisposable
{
    private readonly ConfigServerClientSettings _settings;
    private readonly Action _onRefresh;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly HashSet<string> _seen = [];
    private volatile bool _listening;

    public BusRefreshListener(ConfigServerClientSettings settings, Action onRefresh, ILogger logger)
    {
        _logger = logger;
        _settings = settings;
        _onRefresh = onRefresh;
        _thread = new Thread(Run) { IsBackground = true, Name = "config-bus-listener" };
        _thread.Start();
    }

    /// <summary>True once the topic's partitions are assigned and positioned, i.e. a refresh published now will be seen.</summary>
    public bool IsListening => _listening;

    /// <summary>Spring's destination patterns: <c>**</c>, <c>app:**</c>, <c>app:profile:**</c>, with <c>*</c> wildcards in the name.</summary>
    internal static bool Matches(string? destination, string application)
    {
        if (string.IsNullOrEmpty(destination) || destination == "**") return true;
        var name = destination.Split(':')[0];
        if (name is "**" or "*") return true;
        if (!name.Contains('*', StringComparison.Ordinal)) return string.Equals(name, application, StringComparison.OrdinalIgnoreCase);
        var pattern = "^" + System.Text.RegularExpressions.Regex.Escape(name).Replace("\\*", ".*", StringComparison.Ordinal) + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(application, pattern, System.Text.RegularExpressions.RegexOptions.IgnoreCase);
    }

    private void Run()
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = _settings.KafkaBootstrapServers,
            GroupId = $"{_settings.Name}-config-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Latest,
            EnableAutoCommit = true,
            FetchWaitMaxMs = 100,
            TopicMetadataRefreshIntervalMs = 2000,
            AllowAutoCreateTopics = true,
        };
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(config)
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, e) => ClientLog.BusError(_logger, _settings.BusTopic, $"{e.Code}: {e.Reason}"))
            .SetPartitionsAssignedHandler((c, partitions) =>
            {
                // Position at the current end explicitly, so "listening" means no later event can be skipped.
                var positioned = partitions.Select(tp =>
                    new TopicPartitionOffset(tp, c.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(5)).High)).ToList();
                _listening = true;
                return positioned;
            })
            .Build();
        consumer.Subscribe(_settings.BusTopic);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                ConsumeResult<Ignore, byte[]>? result;
                try { result = consumer.Consume(_stop.Token); }
                catch (ConsumeException ex)
                {
                    // librdkafka recovers from broker errors by itself; the next Consume continues.
                    ClientLog.BusError(_logger, _settings.BusTopic, ex.Error.Reason);
                    continue;
                }
                if (result?.Message?.Value is { } value && IsRefreshForUs(value)) _onRefresh();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed.
        }
        finally
        {
            consumer.Close();
        }
    }

    private bool IsRefreshForUs(byte[] value)
    {
        try
        {
            using var doc = JsonDocument.Parse(value);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) ||
                type.GetString() != "RefreshRemoteApplicationEvent") return false;
            if (root.TryGetProperty("id", out var id) && id.GetString() is { } eventId)
            {
                // At-least-once delivery: the same event may come twice.
                if (!_seen.Add(eventId)) return false;
                if (_seen.Count > 1000) _seen.Clear();
            }
            var destination = root.TryGetProperty("destinationService", out var d) ? d.GetString() : null;
            if (!Matches(destination, _settings.Name)) return false;
            ClientLog.RefreshReceived(_logger, root.TryGetProperty("id", out var i) ? i.GetString() ?? "" : "", destination ?? "**");
            return true;
        }
        catch (JsonException)
        {
            return false; // other traffic on the bus topic (acks, sent events) is not ours to read
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
