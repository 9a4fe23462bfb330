using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Platform.Connect.Configuration;
using Platform.Connect.Storage;
using Platform.EventBus.Kafka;

namespace Platform.Connect.Distributed;

/// <summary>
/// Distributed mode's group: every worker of <c>Connect:GroupId</c> joins a Kafka consumer group on the coordination
/// topic <c>&lt;GroupId&gt;-coordination</c> (<c>Connect:CoordinationPartitions</c> partitions, no records). The broker's
/// group protocol does what Kafka Connect's does: it notices joins and silent workers (<c>Connect:SessionTimeoutMs</c>) and
/// hands out partitions round-robin; a worker owns the units mapped to its partitions (docs/connect.md, Distributed mode).
/// The eager protocol revokes everything before reassigning, so no unit ever runs on two workers at once.
/// </summary>
internal sealed partial class GroupMembership(IOptions<KafkaOptions> kafka, IOptions<ConnectOptions> options, ILogger<GroupMembership> logger)
    : IMembership, IAsyncDisposable
{
    private readonly ConnectOptions _o = options.Value;
    private volatile HashSet<int> _owned = [];
    private volatile bool _rebalancing = true;
    private int _generation;
    private int _slots = 1;
    private IConsumer<Ignore, Ignore>? _consumer;
    private CancellationTokenSource? _stop;
    private Thread? _thread;

    public string Topic => _o.GroupId + "-coordination";
    public bool Rebalancing => _rebalancing;
    /// <summary>The coordination topic's real partition count (a broker may have auto-created it with its default).</summary>
    public int Slots => _slots;
    public int Generation => Volatile.Read(ref _generation);
    public bool Owns(int slot) => _owned.Contains(slot);
    public event Action? Changed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _slots = await TopicAdmin.EnsureTopicAsync(kafka.Value, Topic, _o.CoordinationPartitions, _o.ReplicationFactor, null, cancellationToken);
        _consumer = new ConsumerBuilder<Ignore, Ignore>(kafka.Value.ApplyTo(new ConsumerConfig
        {
            GroupId = _o.GroupId,
            ClientId = "connect-worker",
            SessionTimeoutMs = _o.SessionTimeoutMs,
            HeartbeatIntervalMs = Math.Max(100, _o.SessionTimeoutMs / 5),
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.RoundRobin,
            EnableAutoCommit = false,
        }))
            .SetLogHandler((_, _) => { })
            .SetPartitionsAssignedHandler((_, partitions) => Assign(partitions.Select(p => p.Partition.Value)))
            .SetPartitionsRevokedHandler((_, _) => Revoke())
            .SetPartitionsLostHandler((_, _) => Revoke())
            .Build();
        _consumer.Subscribe(Topic);
        _stop = new CancellationTokenSource();
        // Rebalance callbacks run inside Consume, so a thread keeps polling (no record ever arrives).
        _thread = new Thread(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    _consumer.Consume(TimeSpan.FromMilliseconds(100));
                }
                catch (ConsumeException ex)
                {
                    LogConsumeError(ex.Error.Reason);
                }
            }
        }) { IsBackground = true, Name = "connect-group" };
        _thread.Start();
    }

    private void Assign(IEnumerable<int> partitions)
    {
        _owned = [.. partitions];
        Interlocked.Increment(ref _generation);
        _rebalancing = false;
        LogAssigned(_generation, string.Join(",", _owned.Order()));
        Changed?.Invoke();
    }

    private void Revoke()
    {
        _rebalancing = true;
        _owned = [];
        LogRevoked();
        Changed?.Invoke();
    }

    public async Task StopAsync()
    {
        if (_stop is null || _stop.IsCancellationRequested) return;
        await _stop.CancelAsync();
        _thread?.Join(TimeSpan.FromSeconds(10));
        // Leaving the group at once lets the others take the work without waiting for the session timeout.
        _consumer?.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _consumer?.Dispose();
        _stop?.Dispose();
        _stop = null;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "group generation {Generation}: this worker owns slots {Slots}")]
    private partial void LogAssigned(int generation, string slots);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "group rebalance: assignment revoked")]
    private partial void LogRevoked();

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "group consumer error: {Reason}")]
    private partial void LogConsumeError(string reason);
}
