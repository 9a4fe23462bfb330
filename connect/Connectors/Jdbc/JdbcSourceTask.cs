using System.Data.Common;
using Platform.Connect.Api.Connectors;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Connectors.Jdbc;

/// <summary>Polls its tables every <c>poll.interval.ms</c> (at once again while batches come back full).</summary>
public sealed class JdbcSourceTask : ISourceTask
{
    private readonly List<TableQuerier> _queriers = [];
    private JdbcDialect? _dialect;
    private DbConnection? _connection;
    private TimeSpan _interval;

    public void Start(IReadOnlyDictionary<string, string> props, ISourceTaskContext context)
    {
        var url = JdbcUrl.Parse(props[JdbcSourceConfig.ConnectionUrl], props.GetValueOrDefault(JdbcSourceConfig.ConnectionUser), props.GetValueOrDefault(JdbcSourceConfig.ConnectionPassword));
        _dialect = JdbcDialect.For(url);
        _interval = TimeSpan.FromMilliseconds(int.Parse(props.GetValueOrDefault(JdbcSourceConfig.PollInterval, "5000"), System.Globalization.CultureInfo.InvariantCulture));
        var mode = props[JdbcSourceConfig.Mode];
        var incrementing = props.GetValueOrDefault(JdbcSourceConfig.IncrementingColumn);
        var timestamp = props.GetValueOrDefault(JdbcSourceConfig.TimestampColumn)?.Split(',', StringSplitOptions.TrimEntries)[0];
        var prefix = props[JdbcSourceConfig.TopicPrefix];
        var maxRows = int.Parse(props.GetValueOrDefault(JdbcSourceConfig.BatchMaxRows, "100"), System.Globalization.CultureInfo.InvariantCulture);
        var delay = long.Parse(props.GetValueOrDefault(JdbcSourceConfig.TimestampDelay, "0"), System.Globalization.CultureInfo.InvariantCulture);
        var query = props.GetValueOrDefault(JdbcSourceConfig.Query);
        if (!string.IsNullOrWhiteSpace(query))
            _queriers.Add(new TableQuerier(_dialect, null, query, mode, incrementing, timestamp, prefix, maxRows, delay));
        else
            foreach (var table in props.GetValueOrDefault(JdbcSourceConfig.Tables, "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                _queriers.Add(new TableQuerier(_dialect, table, null, mode, incrementing, timestamp, prefix + table, maxRows, delay));
        foreach (var q in _queriers) q.Restore(context.Offset(q.Partition));
    }

    public async Task<IReadOnlyList<SourceRecord>> PollAsync(CancellationToken cancellationToken)
    {
        if (_queriers.Count == 0)
        {
            await Task.Delay(_interval, cancellationToken);
            return [];
        }
        var next = _queriers.MinBy(q => q.NextPoll)!;
        var wait = next.NextPoll - DateTime.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken);
        if (_connection is null)
        {
            _connection = await _dialect!.OpenAsync(cancellationToken);
        }
        try
        {
            var (records, full) = await next.PollAsync(_connection, cancellationToken);
            next.NextPoll = full ? DateTime.UtcNow : DateTime.UtcNow + _interval;
            return records;
        }
        catch (DbException)
        {
            // A broken connection is reopened on the next poll; the worker's retry policy sees the error.
            await _connection.DisposeAsync();
            _connection = null;
            throw;
        }
    }

    public void Stop()
    {
        _connection?.Dispose();
        _connection = null;
    }
}
