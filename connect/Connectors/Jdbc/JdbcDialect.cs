using System.Data.Common;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Connectors.Jdbc;

/// <summary>What differs between the databases the JDBC connectors speak to: driver, quoting, types and upsert.</summary>
internal abstract class JdbcDialect
{
    public static JdbcDialect For(JdbcUrl url) => url.Scheme == "postgresql" ? new PostgresDialect(url) : new MySqlDialect(url);

    public abstract DbConnection CreateConnection();
    public abstract string Quote(string identifier);
    /// <summary>The database's clock as a naive timestamp, the upper bound of a timestamp-mode query.</summary>
    public abstract string CurrentTimestampSql { get; }
    public abstract string ColumnType(ConnectSchema schema, bool primaryKey);
    public abstract string Upsert(string table, IReadOnlyList<string> columns, IReadOnlyList<string> keys);
    public abstract string ListTablesSql { get; }
    public abstract string ColumnsSql { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = CreateConnection();
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public string QuoteTable(string table) => string.Join(".", table.Split('.').Select(Quote));

    public string Insert(string table, IReadOnlyList<string> columns) =>
        $"INSERT INTO {QuoteTable(table)} ({string.Join(", ", columns.Select(Quote))}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";

    public string Update(string table, IReadOnlyList<string> columns, IReadOnlyList<string> keys)
    {
        var set = columns.Select((c, i) => (c, i)).Where(x => !keys.Contains(x.c)).Select(x => $"{Quote(x.c)} = @p{x.i}");
        var where = columns.Select((c, i) => (c, i)).Where(x => keys.Contains(x.c)).Select(x => $"{Quote(x.c)} = @p{x.i}");
        return $"UPDATE {QuoteTable(table)} SET {string.Join(", ", set)} WHERE {string.Join(" AND ", where)}";
    }

    public string Delete(string table, IReadOnlyList<string> keys) =>
        $"DELETE FROM {QuoteTable(table)} WHERE {string.Join(" AND ", keys.Select((k, i) => $"{Quote(k)} = @p{i}"))}";

    public string CreateTable(string table, IReadOnlyList<(string Name, ConnectSchema Schema)> columns, IReadOnlyList<string> keys)
    {
        var defs = columns.Select(c => $"{Quote(c.Name)} {ColumnType(c.Schema, keys.Contains(c.Name))}{(keys.Contains(c.Name) || !c.Schema.Optional ? " NOT NULL" : " NULL")}");
        var pk = keys.Count > 0 ? $", PRIMARY KEY({string.Join(", ", keys.Select(Quote))})" : "";
        return $"CREATE TABLE IF NOT EXISTS {QuoteTable(table)} ({string.Join(", ", defs)}{pk})";
    }

    public string AddColumn(string table, string column, ConnectSchema schema) =>
        $"ALTER TABLE {QuoteTable(table)} ADD COLUMN {Quote(column)} {ColumnType(schema, false)} NULL";
}
