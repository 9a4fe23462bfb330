using Platform.Connect.Api.Data;

namespace Platform.Connect.Connectors.Postgres;

/// <summary>
/// Debezium's change-event value: <c>before</c>, <c>after</c>, <c>source</c>
/// (<c>io.debezium.connector.postgresql.Source</c>), <c>op</c> (c, u, d, r) and <c>ts_ms</c>.
/// </summary>
internal static class DebeziumEnvelope
{
    public static readonly ConnectSchema SourceSchema = ConnectSchema.Struct("io.debezium.connector.postgresql.Source",
        new Field("version", 0, ConnectSchema.String),
        new Field("connector", 1, ConnectSchema.String),
        new Field("name", 2, ConnectSchema.String),
        new Field("ts_ms", 3, ConnectSchema.Int64),
        new Field("snapshot", 4, new ConnectSchema(SchemaType.String, true, "io.debezium.data.Enum", Version: 1)),
        new Field("db", 5, ConnectSchema.String),
        new Field("schema", 6, ConnectSchema.String),
        new Field("table", 7, ConnectSchema.String),
        new Field("txId", 8, ConnectSchema.OptionalInt64),
        new Field("lsn", 9, ConnectSchema.OptionalInt64));

    public static ConnectSchema Schema(string topic, ConnectSchema row) => new(SchemaType.Struct, false, topic + ".Envelope",
        [
            new Field("before", 0, row),
            new Field("after", 1, row),
            new Field("source", 2, SourceSchema),
            new Field("op", 3, ConnectSchema.String),
            new Field("ts_ms", 4, ConnectSchema.OptionalInt64),
        ], Version: 1);

    /// <summary>The value of one change event; <paramref name="snapshot"/> is "true", "last" or "false".</summary>
    public static ConnectStruct Value(TableSchema table, string op, ConnectStruct? before, ConnectStruct? after, string server, string db,
        string snapshot, long sourceTsMs, uint? txId, ulong? lsn, string version)
    {
        var source = new ConnectStruct(SourceSchema)
            .Put("version", version).Put("connector", "postgresql").Put("name", server).Put("ts_ms", sourceTsMs)
            .Put("snapshot", snapshot).Put("db", db).Put("schema", table.Schema).Put("table", table.Table)
            .Put("txId", txId is { } t ? (long)t : null).Put("lsn", lsn is { } l ? (long)l : null);
        return new ConnectStruct(table.EnvelopeSchema)
            .Put("before", before).Put("after", after).Put("source", source).Put("op", op)
            .Put("ts_ms", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }
}
