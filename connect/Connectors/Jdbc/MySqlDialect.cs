using System.Data.Common;
using MySqlConnector;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Connectors.Jdbc;

/// <summary>MariaDB and MySQL through MySqlConnector: back-quoted names, <c>ON DUPLICATE KEY UPDATE</c> upserts.</summary>
internal sealed class MySqlDialect(JdbcUrl url) : JdbcDialect
{
    public override DbConnection CreateConnection() => new MySqlConnection(new MySqlConnectionStringBuilder
    {
        Server = url.Host,
        Port = (uint)url.Port,
        Database = url.Database,
        UserID = url.User ?? "",
        Password = url.Password ?? "",
        AllowUserVariables = true,
    }.ConnectionString);

    public override string Quote(string identifier) => "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";

    public override string CurrentTimestampSql => "SELECT NOW(6)";

    public override string ListTablesSql =>
        "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name";

    public override string ColumnsSql =>
        "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = @p0";

    public override string ColumnType(ConnectSchema schema, bool primaryKey) => schema.Name switch
    {
        ConnectSchema.TimestampName => "DATETIME(6)",
        ConnectSchema.DateName => "DATE",
        _ => schema.Type switch
        {
            SchemaType.Int8 => "TINYINT",
            SchemaType.Int16 => "SMALLINT",
            SchemaType.Int32 => "INT",
            SchemaType.Int64 => "BIGINT",
            SchemaType.Float32 => "FLOAT",
            SchemaType.Float64 => "DOUBLE",
            SchemaType.Boolean => "TINYINT(1)",
            // Key columns need a bounded length in MariaDB's indexes.
            SchemaType.Bytes => primaryKey ? "VARBINARY(255)" : "LONGBLOB",
            _ => primaryKey ? "VARCHAR(255)" : "LONGTEXT",
        },
    };

    public override string Upsert(string table, IReadOnlyList<string> columns, IReadOnlyList<string> keys)
    {
        var updates = columns.Where(c => !keys.Contains(c)).Select(c => $"{Quote(c)} = VALUES({Quote(c)})").ToList();
        if (updates.Count == 0) updates.Add($"{Quote(keys[0])} = {Quote(keys[0])}");
        return $"{Insert(table, columns)} ON DUPLICATE KEY UPDATE {string.Join(", ", updates)}";
    }
}
