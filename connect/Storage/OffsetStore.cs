using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.Connect.Configuration;
using Platform.EventBus.Kafka;

namespace Platform.Connect.Storage;

/// <summary>
/// Committed source offsets per connector and source partition: the offsets topic (<c>Connect:OffsetStorageTopic</c>)
/// in distributed mode, the file <c>Connect:OffsetsFile</c> in standalone mode. A restarted worker reads them back
/// before any task starts, so tasks resume where the last commit left them.
/// </summary>
internal sealed class OffsetStore : IAsyncDisposable
{
    private readonly Lock _lock = new();
    // connector -> canonical partition -> (partition, offset)
    private readonly Dictionary<string, Dictionary<string, (JsonObject Partition, JsonObject Offset)>> _offsets = [];
    private readonly KafkaLog? _log;
    private readonly string? _file;
    private readonly SemaphoreSlim _fileLock = new(1, 1);

    public OffsetStore(IOptions<KafkaOptions> kafka, IOptions<ConnectOptions> options)
    {
        var o = options.Value;
        if (o.Mode == WorkerMode.Distributed)
            _log = new KafkaLog(kafka.Value, o.OffsetStorageTopic, o.OffsetStoragePartitions, o.ReplicationFactor, Apply);
        else _file = Path.GetFullPath(o.OffsetsFile);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_log is not null)
        {
            await _log.StartAsync(cancellationToken);
            return;
        }
        if (!File.Exists(_file)) return;
        var doc = JsonNode.Parse(await File.ReadAllTextAsync(_file!, cancellationToken)) as JsonArray
            ?? throw new InvalidOperationException($"Connect:OffsetsFile: {_file} is not a JSON array of {{key, value}} entries");
        foreach (var entry in doc.OfType<JsonObject>())
        {
            var key = entry["key"]?.GetValue<string>();
            if (key is not null) Apply(key, entry["value"] is JsonObject v ? Encoding.UTF8.GetBytes(v.ToJsonString()) : null);
        }
    }

    public Task StopAsync() => _log?.StopAsync() ?? Task.CompletedTask;

    public JsonObject? Get(string connector, JsonObject partition)
    {
        lock (_lock)
            return _offsets.TryGetValue(connector, out var map) && map.TryGetValue(OffsetKey.Canonical(partition), out var e)
                ? (JsonObject)e.Offset.DeepClone() : null;
    }

    public IReadOnlyList<(JsonObject Partition, JsonObject Offset)> GetAll(string connector)
    {
        lock (_lock)
            return _offsets.TryGetValue(connector, out var map)
                ? [.. map.Values.Select(e => ((JsonObject)e.Partition.DeepClone(), (JsonObject)e.Offset.DeepClone()))]
                : [];
    }

    /// <summary>Commits offsets (null offset: forget the partition) and returns once they are durable.</summary>
    public async Task PutAsync(string connector, IReadOnlyList<(JsonObject Partition, JsonObject? Offset)> offsets, CancellationToken cancellationToken)
    {
        if (offsets.Count == 0) return;
        var records = offsets.Select(o => (OffsetKey.Encode(connector, o.Partition),
            o.Offset is null ? null : Encoding.UTF8.GetBytes(o.Offset.ToJsonString()))).ToList();
        if (_log is not null)
        {
            await _log.SendAsync(records, cancellationToken);
            return;
        }
        foreach (var (key, value) in records) Apply(key, value);
        await SaveFileAsync(cancellationToken);
    }

    /// <summary>Forgets every offset of <paramref name="connector"/> (tombstones in the topic).</summary>
    public Task ResetAsync(string connector, CancellationToken cancellationToken) =>
        PutAsync(connector, [.. GetAll(connector).Select(e => (e.Partition, (JsonObject?)null))], cancellationToken);

    private void Apply(string key, byte[]? value)
    {
        var decoded = OffsetKey.Decode(key);
        if (decoded is not { } k) return;
        var partition = (JsonObject)((JsonArray)JsonNode.Parse(key)!)[1]!.DeepClone();
        var offset = value is null ? null : JsonNode.Parse(value) as JsonObject;
        lock (_lock)
        {
            if (!_offsets.TryGetValue(k.Connector, out var map)) _offsets[k.Connector] = map = [];
            if (offset is null) map.Remove(k.Partition);
            else map[k.Partition] = (partition, offset);
        }
    }

    private async Task SaveFileAsync(CancellationToken cancellationToken)
    {
        await _fileLock.WaitAsync(cancellationToken);
        try
        {
            var doc = new JsonArray();
            lock (_lock)
                foreach (var (connector, map) in _offsets)
                    foreach (var (partition, offset) in map.Values)
                        doc.Add(new JsonObject { ["key"] = OffsetKey.Encode(connector, partition), ["value"] = offset.DeepClone() });
            // Written aside and renamed, so a crash mid-write leaves the previous commit intact.
            var temp = _file + ".tmp";
            await File.WriteAllTextAsync(temp, doc.ToJsonString(), cancellationToken);
            File.Move(temp, _file!, overwrite: true);
        }
        finally
        {
            _fileLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_log is not null) await _log.DisposeAsync();
        _fileLock.Dispose();
    }
}
