using System.Data.Common;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Connectors.Jdbc;

/// <summary>
/// One table (or the query) of a source task with its position: the last incrementing value and timestamp read, as
/// Confluent's offsets <c>{"incrementing":N,"timestamp":ms,"timestamp_nanos":ns}</c> under <c>{"table":name}</c>
/// (or <c>{"query":"query"}</c>).
/// </summary>
internal sealed class TableQuerier(JdbcDialect dialect, string? table, string? query, string mode, string? incrementing, string? timestamp, string topic, int maxRows, long delayMs)
{
    private long? _lastIncrementing;
    private DateTime? _lastTimestamp;

    public IReadOnlyDictionary<string, object?> Partition { get; } =
        table is not null ? new Dictionary<string, object?> { ["table"] = table } : new Dictionary<string, object?> { ["query"] = query };

    public DateTime NextPoll { get; set; } = DateTime.MinValue;

    public void Restore(IReadOnlyDictionary<string, object?>? offset)
    {
        if (offset is null) return;
        if (offset.GetValueOrDefault("incrementing") is { } inc) _lastIncrementing = Convert.ToInt64(inc, System.Globalization.CultureInfo.InvariantCulture);
        if (offset.GetValueOrDefault("timestamp") is { } ts)
        {
            var ms = Convert.ToInt64(ts, System.Globalization.CultureInfo.InvariantCulture);
            var nanos = offset.GetValueOrDefault("timestamp_nanos") is { } n ? Convert.ToInt64(n, System.Globalization.CultureInfo.InvariantCulture) : (ms % 1000) * 1_000_000;
            _lastTimestamp = DateTime.UnixEpoch.AddMilliseconds(ms - ms % 1000).AddTicks(nanos / 100);
        }
    }

    /// <summary>The rows after the stored position, oldest first; returns whether the batch was full (more may wait).</summary>
    public async Task<(List<SourceRecord> Records, bool Full)> PollAsync(DbConnection connection, CancellationToken token)
    {
        await using var command = connection.CreateCommand();
        var source = table is not null ? dialect.QuoteTable(table) : $"({query}) AS q";
        var conditions = new List<string>();
        var order = new List<string>();
        var parameters = new List<object>();
        var useTimestamp = mode.StartsWith("timestamp", StringComparison.Ordinal);
        var useIncrementing = mode.Contains("incrementing", StringComparison.Ordinal);
        string P(object value)
        {
            parameters.Add(value);
            return "@p" + (parameters.Count - 1);
        }
        if (useTimestamp)
        {
            var upper = await CurrentTimestampAsync(connection, token);
            var ts = dialect.Quote(timestamp!);
            conditions.Add($"{ts} < {P(upper.AddMilliseconds(-delayMs))}");
            var last = _lastTimestamp ?? DateTime.UnixEpoch;
            conditions.Add(useIncrementing && _lastIncrementing is not null
                ? $"(({ts} = {P(last)} AND {dialect.Quote(incrementing!)} > {P(_lastIncrementing)}) OR {ts} > {P(last)})"
                : $"{ts} > {P(last)}");
            order.Add(ts);
        }
        else if (useIncrementing)
            conditions.Add($"{dialect.Quote(incrementing!)} > {P(_lastIncrementing ?? long.MinValue)}");
        if (useIncrementing) order.Add(dialect.Quote(incrementing!));
        // Timestamp-only mode reads a whole timestamp window: a LIMIT could cut rows sharing the last timestamp.
        var limited = mode != "bulk" && !(useTimestamp && !useIncrementing);
        command.CommandText = $"SELECT * FROM {source}" + (conditions.Count > 0 ? " WHERE " + string.Join(" AND ", conditions) : "")
            + (order.Count > 0 ? " ORDER BY " + string.Join(", ", order) : "") + (limited ? $" LIMIT {maxRows}" : "");
        for (var i = 0; i < parameters.Count; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@p" + i;
            p.Value = parameters[i];
            command.Parameters.Add(p);
        }
        var records = new List<SourceRecord>();
        await using var reader = await command.ExecuteReaderAsync(token);
        var schema = JdbcSchemas.RowSchema(reader, table ?? topic);
        while (await reader.ReadAsync(token))
        {
            var row = new ConnectStruct(schema);
            foreach (var f in schema.Fields!) row[f.Name] = JdbcSchemas.ReadValue(reader, f.Index, f.Schema);
            if (useIncrementing) _lastIncrementing = Convert.ToInt64(row[incrementing!], System.Globalization.CultureInfo.InvariantCulture);
            if (useTimestamp && row[timestamp!] is DateTime t) _lastTimestamp = t;
            records.Add(new SourceRecord(Partition, Offset(), topic, null, null, null, schema, row));
        }
        return (records, limited && records.Count >= maxRows);
    }

    private Dictionary<string, object?> Offset()
    {
        var offset = new Dictionary<string, object?>();
        if (_lastIncrementing is { } inc) offset["incrementing"] = inc;
        if (_lastTimestamp is { } ts)
        {
            var ticks = (ts - DateTime.UnixEpoch).Ticks;
            offset["timestamp"] = ticks / TimeSpan.TicksPerMillisecond;
            offset["timestamp_nanos"] = ticks % TimeSpan.TicksPerSecond * 100;
        }
        return offset;
    }

    private async Task<DateTime> CurrentTimestampAsync(DbConnection connection, CancellationToken token)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = dialect.CurrentTimestampSql;
        var value = await command.ExecuteScalarAsync(token);
        return value is DateTime d ? DateTime.SpecifyKind(d, DateTimeKind.Unspecified) : DateTime.UtcNow;
    }
}
