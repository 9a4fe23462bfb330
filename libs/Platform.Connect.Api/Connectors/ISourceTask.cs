using Platform.Connect.Api.Data;

namespace Platform.Connect.Api.Connectors;

/// <summary>Reads records from an external system. <see cref="PollAsync"/> may block until data arrives or the token fires.</summary>
public interface ISourceTask
{
    void Start(IReadOnlyDictionary<string, string> props, ISourceTaskContext context);
    Task<IReadOnlyList<SourceRecord>> PollAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Called after the offsets of records this task returned were durably committed (Kafka Connect's
    /// <c>SourceTask.commit</c>), with the last committed offset of each source partition. A task that acknowledges
    /// what it read upstream (a replication slot) does it here and never earlier, so nothing uncommitted is lost.
    /// </summary>
    Task CommitAsync(IReadOnlyList<IReadOnlyDictionary<string, object?>> offsets, CancellationToken cancellationToken) => Task.CompletedTask;

    void Stop();
}

/// <summary>What the worker offers a source task.</summary>
public interface ISourceTaskContext
{
    /// <summary>The last committed offset stored under <paramref name="partition"/>, or null when none was committed.</summary>
    IReadOnlyDictionary<string, object?>? Offset(IReadOnlyDictionary<string, object?> partition);

    /// <summary>
    /// The headers of the last record of each partition of <paramref name="topic"/>, in partition order, null for an
    /// empty partition; no entries for a topic that does not exist. Read from the topic itself, so a task can tell what
    /// reached Kafka after its last committed offset (a worker killed between offset flushes) and not produce it again.
    /// The worker acknowledges every record of one poll before it polls again, so a record in Kafka implies that all
    /// records of earlier polls are there too.
    /// </summary>
    Task<IReadOnlyList<IReadOnlyDictionary<string, byte[]?>?>> LastRecordHeadersAsync(string topic, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IReadOnlyDictionary<string, byte[]?>?>>([]);

    /// <summary>Writes a debug line to the worker's log, naming the task.</summary>
    void LogDebug(string message)
    {
    }
}
