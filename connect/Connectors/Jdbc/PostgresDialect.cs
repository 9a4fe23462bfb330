using System.Data.Common;
using Npgsql;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Connectors.Jdbc;

/// <summary>PostgreSQL through Npgsql: double-quoted names, <c>ON CONFLICT ... DO UPDATE</c> upserts.</summary>
internal sealed class PostgresDialect(JdbcUrl url) : JdbcDialect
{
    public override DbConnection CreateConnection() => new NpgsqlConnection(new NpgsqlConnectionStringBuilder
    {
        Host = url.Host,
        Port = url.Port,
        Database = url.Database,
        Username = url.User,
        Password = url.Password,
    }.ConnectionString);

    public override string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public override string CurrentTimestampSql => "SELECT LOCALTIMESTAMP";

    public override string ListTablesSql =>
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name";

    public override string ColumnsSql =>
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @p0";

    public override string ColumnType(ConnectSchema schema, bool primaryKey) => schema.Name switch
    {
        ConnectSchema.TimestampName => "TIMESTAMP",
        ConnectSchema.DateName => "DATE",
        _ => schema.Type switch
        {
            SchemaType.Int8 or SchemaType.Int16 => "SMALLINT",
            SchemaType.Int32 => "INT",
            SchemaType.Int64 => "BIGINT",
            SchemaType.Float32 => "REAL",
            SchemaType.Float64 => "DOUBLE PRECISION",
            SchemaType.Boolean => "BOOLEAN",
            SchemaType.Bytes => "BYTEA",
            _ => "TEXT",
        },
    };

    public override string Upsert(string table, IReadOnlyList<string> columns, IReadOnlyList<string> keys)
    {
        var updates = columns.Where(c => !keys.Contains(c)).Select(c => $"{Quote(c)} = EXCLUDED.{Quote(c)}").ToList();
        var action = updates.Count == 0 ? "DO NOTHING" : "DO UPDATE SET " + string.Join(", ", updates);
        return $"{Insert(table, columns)} ON CONFLICT ({string.Join(", ", keys.Select(Quote))}) {action}";
    }
}
