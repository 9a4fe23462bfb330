using Microsoft.Extensions.Options;
using Platform.Connect.Configuration;
using Platform.EventBus.Kafka;

namespace Platform.Connect.Storage;

/// <summary>
/// Connector and task states: the status topic (<c>Connect:StatusStorageTopic</c>) in distributed mode, memory in
/// standalone mode. Every worker folds the whole topic, so any worker answers a status request.
/// </summary>
internal sealed class StatusStore : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ConnectorStatus> _connectors = [];
    private readonly Dictionary<(string, int), ConnectorStatus> _tasks = [];
    private readonly KafkaLog? _log;

    public StatusStore(IOptions<KafkaOptions> kafka, IOptions<ConnectOptions> options)
    {
        var o = options.Value;
        if (o.Mode == WorkerMode.Distributed)
            _log = new KafkaLog(kafka.Value, o.StatusStorageTopic, o.StatusStoragePartitions, o.ReplicationFactor, Apply);
    }

    public Task StartAsync(CancellationToken cancellationToken) => _log?.StartAsync(cancellationToken) ?? Task.CompletedTask;
    public Task StopAsync() => _log?.StopAsync() ?? Task.CompletedTask;

    public ConnectorStatus? Get(string connector)
    {
        lock (_lock) return _connectors.GetValueOrDefault(connector);
    }

    public ConnectorStatus? GetTask(string connector, int task)
    {
        lock (_lock) return _tasks.GetValueOrDefault((connector, task));
    }

    public Task PutAsync(string connector, ConnectorStatus status, CancellationToken cancellationToken) =>
        WriteAsync(StatusRecords.ConnectorKey(connector), StatusRecords.Encode(status), cancellationToken);

    public Task PutTaskAsync(string connector, int task, ConnectorStatus status, CancellationToken cancellationToken) =>
        WriteAsync(StatusRecords.TaskKey(connector, task), StatusRecords.Encode(status), cancellationToken);

    /// <summary>Tombstones the connector's status and its tasks' (a deleted connector leaves nothing behind).</summary>
    public async Task DeleteAsync(string connector, CancellationToken cancellationToken)
    {
        List<int> tasks;
        lock (_lock) tasks = [.. _tasks.Keys.Where(k => k.Item1 == connector).Select(k => k.Item2)];
        await WriteAsync(StatusRecords.ConnectorKey(connector), null, cancellationToken);
        foreach (var t in tasks) await WriteAsync(StatusRecords.TaskKey(connector, t), null, cancellationToken);
    }

    private async Task WriteAsync(string key, byte[]? value, CancellationToken cancellationToken)
    {
        if (_log is null) Apply(key, value);
        else await _log.SendAsync([(key, value)], cancellationToken);
    }

    private void Apply(string key, byte[]? value)
    {
        var status = value is null ? null : StatusRecords.Decode(value);
        lock (_lock)
        {
            if (key.StartsWith(StatusRecords.ConnectorPrefix, StringComparison.Ordinal))
            {
                var name = key[StatusRecords.ConnectorPrefix.Length..];
                if (status is null) _connectors.Remove(name);
                else _connectors[name] = status;
            }
            else if (key.StartsWith(StatusRecords.TaskPrefix, StringComparison.Ordinal))
            {
                var rest = key[StatusRecords.TaskPrefix.Length..];
                var dash = rest.LastIndexOf('-');
                if (dash <= 0 || !int.TryParse(rest[(dash + 1)..], out var n)) return;
                if (status is null) _tasks.Remove((rest[..dash], n));
                else _tasks[(rest[..dash], n)] = status;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_log is not null) await _log.DisposeAsync();
    }
}
