using System.Data.Common;
using Platform.Connect.Api.Connectors;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Connectors.Jdbc;

/// <summary>
/// Writes each batch in one transaction per <c>batch.size</c> records, so a failed put leaves nothing half-written and
/// the worker redelivers it; creates or widens tables first when allowed.
/// </summary>
public sealed class JdbcSinkTask : ISinkTask
{
    private readonly Dictionary<string, HashSet<string>> _knownColumns = new(StringComparer.Ordinal);
    private JdbcDialect? _dialect;
    private string _insertMode = "insert";
    private string _pkMode = "none";
    private List<string> _pkFields = [];
    private string _tableFormat = "${topic}";
    private bool _autoCreate;
    private bool _autoEvolve;
    private bool _deleteEnabled;
    private int _batchSize;

    public void Start(IReadOnlyDictionary<string, string> props)
    {
        _dialect = JdbcDialect.For(JdbcUrl.Parse(props[JdbcSourceConfig.ConnectionUrl], props.GetValueOrDefault(JdbcSourceConfig.ConnectionUser),
            props.GetValueOrDefault(JdbcSourceConfig.ConnectionPassword)));
        _insertMode = props.GetValueOrDefault(JdbcSinkConfig.InsertMode, "insert");
        _pkMode = props.GetValueOrDefault(JdbcSinkConfig.PkMode, "none");
        _pkFields = [.. props.GetValueOrDefault(JdbcSinkConfig.PkFields, "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        _tableFormat = props.GetValueOrDefault(JdbcSinkConfig.TableNameFormat, "${topic}");
        _autoCreate = props.GetValueOrDefault(JdbcSinkConfig.AutoCreate) == "true";
        _autoEvolve = props.GetValueOrDefault(JdbcSinkConfig.AutoEvolve) == "true";
        _deleteEnabled = props.GetValueOrDefault(JdbcSinkConfig.DeleteEnabled) == "true";
        _batchSize = int.Parse(props.GetValueOrDefault(JdbcSinkConfig.BatchSize, "3000"), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        var rows = records.Select(r => SinkRow.From(r, _tableFormat.Replace("${topic}", r.Topic, StringComparison.Ordinal), _pkMode, _pkFields, _deleteEnabled)).ToList();
        await using var connection = await _dialect!.OpenAsync(cancellationToken);
        foreach (var chunk in rows.Chunk(_batchSize))
        {
            foreach (var table in chunk.Where(r => !r.Delete).GroupBy(r => r.Table))
                await EnsureTableAsync(connection, table.Key, table.First(), table, cancellationToken);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var row in chunk) await WriteAsync(connection, tx, row, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
    }

    private async Task WriteAsync(DbConnection connection, DbTransaction tx, SinkRow row, CancellationToken token)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        var names = row.Columns.Select(c => c.Name).ToList();
        command.CommandText = row.Delete ? _dialect!.Delete(row.Table, names)
            : _insertMode switch
            {
                "upsert" => _dialect!.Upsert(row.Table, names, row.Keys),
                "update" => _dialect!.Update(row.Table, names, row.Keys),
                _ => _dialect!.Insert(row.Table, names),
            };
        for (var i = 0; i < row.Columns.Count; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@p" + i;
            p.Value = JdbcSchemas.ToParameter(row.Columns[i].Schema, row.Columns[i].Value);
            command.Parameters.Add(p);
        }
        await command.ExecuteNonQueryAsync(token);
    }

    private async Task EnsureTableAsync(DbConnection connection, string table, SinkRow first, IEnumerable<SinkRow> rows, CancellationToken token)
    {
        if (!_knownColumns.TryGetValue(table, out var columns))
        {
            columns = await ColumnsAsync(connection, table, token);
            if (columns.Count == 0)
            {
                if (!_autoCreate) throw new InvalidOperationException($"Table {table} is missing and auto-creation is disabled");
                await ExecuteAsync(connection, _dialect!.CreateTable(table, [.. first.Columns.Select(c => (c.Name, c.Schema))], first.Keys), token);
                columns = await ColumnsAsync(connection, table, token);
            }
            _knownColumns[table] = columns;
        }
        foreach (var (name, schema, _) in rows.SelectMany(r => r.Columns).DistinctBy(c => c.Name).ToList())
        {
            if (columns.Contains(name)) continue;
            if (!_autoEvolve) throw new InvalidOperationException($"Table {table} is missing column {name} and auto-evolution is disabled");
            await ExecuteAsync(connection, _dialect!.AddColumn(table, name, schema), token);
            columns.Add(name);
        }
    }

    private async Task<HashSet<string>> ColumnsAsync(DbConnection connection, string table, CancellationToken token)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _dialect!.ColumnsSql;
        var p = command.CreateParameter();
        p.ParameterName = "@p0";
        p.Value = table;
        command.Parameters.Add(p);
        var result = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(token);
        while (await reader.ReadAsync(token)) result.Add(reader.GetString(0));
        return result;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken token)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(token);
    }

    public void Stop() { }
}
