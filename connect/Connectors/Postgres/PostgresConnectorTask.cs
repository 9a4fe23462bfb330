using System.Threading.Channels;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Connectors;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Connectors.Postgres;

/// <summary>
/// Hands the worker the change events a <see cref="ChangeReader"/> reads ahead (at most <c>max.queue.size</c>), in
/// batches of <c>max.batch.size</c>, and lets the reader confirm the slot only up to the offsets the worker committed.
/// Each record carries its position in headers (<see cref="CdcPosition"/>), which a later run reads back from the
/// topics to skip what is already there.
/// </summary>
public sealed class PostgresConnectorTask : ISourceTask
{
    private readonly CancellationTokenSource _stop = new();
    private Channel<SourceRecord[]>? _events;
    private ChangeReader? _reader;
    private Task? _reading;
    private int _maxBatch;
    private TimeSpan _pollInterval;

    public void Start(IReadOnlyDictionary<string, string> props, ISourceTaskContext context)
    {
        var settings = new ConnectorSettings(PostgresCdcConfig.Define(), props);
        _maxBatch = settings.GetInt(PostgresCdcConfig.MaxBatchSize);
        _pollInterval = TimeSpan.FromMilliseconds(settings.GetLong(PostgresCdcConfig.PollInterval));
        _events = Channel.CreateBounded<SourceRecord[]>(new BoundedChannelOptions(settings.GetInt(PostgresCdcConfig.MaxQueueSize))
        {
            SingleReader = true,
            SingleWriter = true,
        });
        var server = settings.GetRequiredString(PostgresCdcConfig.TopicPrefix);
        var offset = CdcOffset.From(context.Offset(CdcOffset.Partition(server)));
        _reader = new ChangeReader(settings, offset, _events.Writer, context);
        _reading = Task.Run(() => _reader.RunAsync(_stop.Token));
    }

    public async Task<IReadOnlyList<SourceRecord>> PollAsync(CancellationToken cancellationToken)
    {
        var events = _events ?? throw new InvalidOperationException("task not started");
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(_pollInterval);
        try
        {
            // A reader that failed completes the channel with its exception, which surfaces here and fails the task.
            if (!await events.Reader.WaitToReadAsync(wait.Token)) await (_reading ?? Task.CompletedTask);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [];
        }
        var batch = new List<SourceRecord>();
        while (batch.Count < _maxBatch && events.Reader.TryRead(out var records)) batch.AddRange(records);
        return Stamped(batch);
    }

    /// <summary>
    /// Every record also names the first position of its poll: the worker acknowledges a whole poll before the next,
    /// so a later run that finds this header in Kafka knows every record before that position reached Kafka too.
    /// </summary>
    private static List<SourceRecord> Stamped(List<SourceRecord> batch)
    {
        if (batch.Count == 0) return batch;
        var first = batch[0].Headers[CdcPosition.Header];
        return [.. batch.Select(r => r with { Headers = new Dictionary<string, byte[]?>(r.Headers) { [CdcPosition.BatchHeader] = first } })];
    }

    public Task CommitAsync(IReadOnlyList<IReadOnlyDictionary<string, object?>> offsets, CancellationToken cancellationToken)
    {
        foreach (var committed in offsets.Select(CdcOffset.From).OfType<CdcOffset>()) _reader?.Confirm(committed.ResumeLsn);
        return Task.CompletedTask;
    }

    public void Stop()
    {
        _stop.Cancel();
        try
        {
            _reading?.Wait(TimeSpan.FromSeconds(15));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OperationCanceledException or Npgsql.NpgsqlException or ChannelClosedException))
        {
            // The reader ends by cancellation; a failure it had was already reported through PollAsync.
        }
        _stop.Dispose();
    }
}
