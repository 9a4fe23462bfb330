using Npgsql;

namespace Platform.Bench.Connect;

/// <summary>The benchmark's databases: one per phase on the private server.</summary>
internal static class Db
{
    public static async Task<string> CreateAsync(string admin, string name)
    {
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE); CREATE DATABASE {name}");
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public static string JdbcUrl(string cs)
    {
        var b = new NpgsqlConnectionStringBuilder(cs);
        return $"jdbc:postgresql://{b.Host}:{b.Port}/{b.Database}?user={b.Username}";
    }

    public static async Task ExecuteAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    public static async Task<long> CountAsync(string cs, string table)
    {
        try
        {
            return (long)(await ScalarAsync(cs, $"SELECT count(*) FROM {table}"))!;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0; // auto.create has not made it yet
        }
    }
}
