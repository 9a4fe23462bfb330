using Platform.Connect.Api.Data;

namespace Platform.Connect.Api.Connectors;

/// <summary>
/// Writes records to an external system. The worker commits the Kafka offsets of a batch only after
/// <see cref="PutAsync"/> returned, so a task that throws sees the batch again.
/// </summary>
public interface ISinkTask
{
    void Start(IReadOnlyDictionary<string, string> props);
    Task PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken);
    void Stop();
}
