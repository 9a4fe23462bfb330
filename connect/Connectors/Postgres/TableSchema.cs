using Npgsql;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Connectors.Postgres;

/// <summary>One column of a captured table, from the catalog.</summary>
internal sealed record PgColumn(string Name, uint TypeOid, bool Optional, bool PrimaryKey);

/// <summary>
/// A captured table: its columns (catalog order, generated columns left out as pgoutput does), primary key, topic and
/// the Connect schemas of its change events (<c>&lt;topic&gt;.Key</c>, <c>.Value</c>, <c>.Envelope</c>, Debezium's names).
/// </summary>
internal sealed class TableSchema
{
    private TableSchema(string schema, string table, string topic, IReadOnlyList<PgColumn> columns, bool decimalAsString)
    {
        Schema = schema;
        Table = table;
        Topic = topic;
        Columns = columns;
        DecimalAsString = decimalAsString;
        RowSchema = new ConnectSchema(SchemaType.Struct, true, topic + ".Value",
            [.. columns.Select((c, i) => new Field(c.Name, i, PgValues.Schema(c.TypeOid, c.Optional, decimalAsString)))]);
        var keys = columns.Where(c => c.PrimaryKey).ToList();
        KeySchema = keys.Count == 0 ? null : new ConnectSchema(SchemaType.Struct, false, topic + ".Key",
            [.. keys.Select((c, i) => new Field(c.Name, i, PgValues.Schema(c.TypeOid, false, decimalAsString)))]);
        EnvelopeSchema = DebeziumEnvelope.Schema(topic, RowSchema);
    }

    public string Schema { get; }
    public string Table { get; }
    public string Topic { get; }
    public IReadOnlyList<PgColumn> Columns { get; }
    public bool DecimalAsString { get; }
    public ConnectSchema RowSchema { get; }
    public ConnectSchema? KeySchema { get; }
    public ConnectSchema EnvelopeSchema { get; }

    /// <summary>A row struct from column texts by name; columns not given (a key-only old row) stay null.</summary>
    public ConnectStruct Row(IReadOnlyDictionary<string, string?> texts)
    {
        var row = new ConnectStruct(RowSchema);
        foreach (var c in Columns)
            if (texts.TryGetValue(c.Name, out var text))
                row[c.Name] = text == PgValues.Unavailable ? Unavailable(c) : PgValues.Parse(c.TypeOid, text, DecimalAsString);
        return row;
    }

    public ConnectStruct? Key(ConnectStruct row)
    {
        if (KeySchema is null) return null;
        var key = new ConnectStruct(KeySchema);
        foreach (var f in KeySchema.Fields!) key[f.Name] = row[f.Name];
        return key;
    }

    private static object? Unavailable(PgColumn c) => PgValues.Schema(c.TypeOid, true, true).Type switch
    {
        SchemaType.String => PgValues.Unavailable,
        SchemaType.Bytes => System.Text.Encoding.UTF8.GetBytes(PgValues.Unavailable),
        _ => null,
    };

    /// <summary>Debezium's topic of a table's change events: <c>&lt;topic.prefix&gt;.&lt;schema&gt;.&lt;table&gt;</c>.</summary>
    public static string TopicOf(string topicPrefix, string schema, string table) => $"{topicPrefix}.{schema}.{table}";

    public static async Task<TableSchema> LoadAsync(NpgsqlConnection connection, string schema, string table, string topicPrefix,
        bool decimalAsString, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT a.attname, a.atttypid::int8, NOT a.attnotnull, COALESCE(a.attnum = ANY(i.indkey), false)
              FROM pg_attribute a
              JOIN pg_class c ON c.oid = a.attrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
             WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
             ORDER BY a.attnum
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = schema });
        cmd.Parameters.Add(new NpgsqlParameter { Value = table });
        var columns = new List<PgColumn>();
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                columns.Add(new PgColumn(reader.GetString(0), (uint)reader.GetInt64(1), reader.GetBoolean(2), reader.GetBoolean(3)));
        if (columns.Count == 0) throw new InvalidOperationException($"table {schema}.{table} has no columns or does not exist");
        return new TableSchema(schema, table, TopicOf(topicPrefix, schema, table), columns, decimalAsString);
    }
}
