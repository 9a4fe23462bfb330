using Npgsql;

namespace Platform.ApiServer.Tests.Infrastructure;

public static class Db
{
    public static async Task<T?> ScalarAsync<T>(string connectionString, string sql, params object[] args)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        var v = await cmd.ExecuteScalarAsync();
        return v is null or DBNull ? default : (T)v;
    }

    /// <summary>Every row of <paramref name="sql"/> as text, column values joined.</summary>
    public static async Task<string> DumpAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var sb = new System.Text.StringBuilder();
        while (await reader.ReadAsync())
            for (var i = 0; i < reader.FieldCount; i++)
                sb.Append(reader.IsDBNull(i) ? "" : reader.GetValue(i) is byte[] b ? System.Text.Encoding.Latin1.GetString(b) : reader.GetValue(i).ToString()).Append('\t');
        return sb.ToString();
    }
}
