namespace Platform.Connect.Connectors.Postgres;

/// <summary>
/// How far a previous run's output reached Kafka, read from the last record of every partition of the captured tables'
/// topics (<see cref="CdcPosition.Header"/>, <see cref="CdcPosition.BatchHeader"/>): the offset store only knows the
/// last flush, so after a crash the slot replays events that are already in the topics. Two rules say a record is
/// there, and it is then skipped:
/// <list type="bullet">
/// <item>it precedes the newest batch position seen in any topic: the worker acknowledges a whole poll before the next
/// one, so every record of an earlier poll reached Kafka;</item>
/// <item>it is at or before the last position of its own topic, taking the lowest over the topic's partitions (a
/// partition keeps the producer's order, so all of a partition's records up to its last one are there; the lowest
/// holds for whichever partition the record's key maps to). An empty partition, or one whose last record has no
/// position, leaves only the first rule for that topic.</item>
/// </list>
/// </summary>
internal sealed class PublishedPositions
{
    private readonly Dictionary<string, CdcPosition> _topics;
    private readonly CdcPosition? _batch;

    private PublishedPositions(Dictionary<string, CdcPosition> topics, CdcPosition? batch)
    {
        _topics = topics;
        _batch = batch;
    }

    public static PublishedPositions None { get; } = new([], null);

    /// <summary>Records skipped so far.</summary>
    public long Skipped { get; private set; }

    /// <summary>True once a poll of streamed events reached Kafka: every snapshot row did before it.</summary>
    public bool SnapshotCompleted => _batch is { Streaming: true };

    public static async Task<PublishedPositions> ReadAsync(IEnumerable<string> topics,
        Func<string, CancellationToken, Task<IReadOnlyList<IReadOnlyDictionary<string, byte[]?>?>>> lastRecordHeaders, CancellationToken cancellationToken)
    {
        var tails = new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, byte[]?>?>>();
        foreach (var topic in topics.Distinct()) tails[topic] = await lastRecordHeaders(topic, cancellationToken);
        return From(tails);
    }

    /// <summary>From each topic's partitions' last-record headers (null: an empty partition).</summary>
    public static PublishedPositions From(IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, byte[]?>?>> tails)
    {
        var topics = new Dictionary<string, CdcPosition>();
        CdcPosition? batch = null;
        foreach (var (topic, partitions) in tails)
        {
            CdcPosition? lowest = null;
            var complete = partitions.Count > 0;
            foreach (var headers in partitions)
            {
                var own = CdcPosition.Parse(headers?.GetValueOrDefault(CdcPosition.Header));
                if (own is null) complete = false;
                else if (lowest is null || own < lowest) lowest = own;
                if (CdcPosition.Parse(headers?.GetValueOrDefault(CdcPosition.BatchHeader)) is { } b && (batch is null || b > batch)) batch = b;
            }
            if (complete && lowest is { } p) topics[topic] = p;
        }
        return new PublishedPositions(topics, batch);
    }

    /// <summary>True (and counted) for a record that a previous run already put in <paramref name="topic"/>.</summary>
    public bool Published(string topic, CdcPosition position)
    {
        var published = (_batch is { } b && position < b) || (_topics.TryGetValue(topic, out var last) && position <= last);
        if (published) Skipped++;
        return published;
    }

    public override string ToString() =>
        $"batch {(_batch?.ToString() ?? "none")}; " + string.Join(", ", _topics.Select(t => $"{t.Key} {t.Value}"));
}
