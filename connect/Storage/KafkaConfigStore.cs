using Microsoft.Extensions.Options;
using Platform.Connect.Configuration;
using Platform.EventBus.Kafka;

namespace Platform.Connect.Storage;

/// <summary>Distributed mode: configurations in the config topic (<c>Connect:ConfigStorageTopic</c>, one partition, compacted).</summary>
internal sealed class KafkaConfigStore : RecordConfigStore, IAsyncDisposable
{
    private readonly KafkaLog _log;

    public KafkaConfigStore(IOptions<KafkaOptions> kafka, IOptions<ConnectOptions> options)
    {
        _log = new KafkaLog(kafka.Value, options.Value.ConfigStorageTopic, 1, options.Value.ReplicationFactor, (key, value) =>
        {
            if (State.Apply(key, value)) RaiseChanged();
        }, singlePartition: true);
    }

    public override Task StartAsync(CancellationToken cancellationToken) => _log.StartAsync(cancellationToken);
    public override Task StopAsync() => _log.StopAsync();

    protected override Task WriteAsync(IReadOnlyList<(string Key, byte[]? Value)> records, CancellationToken cancellationToken) =>
        _log.SendAsync(records, cancellationToken);

    public ValueTask DisposeAsync() => _log.DisposeAsync();
}
