using System.Globalization;
using Npgsql;

namespace Platform.ApiServer.Bench;

/// <summary>
/// BENCH_PROFILE=1: which of Postgres' statements the write path's time goes to, from <c>pg_stat_statements</c> (loaded
/// by the bench's own server only). Reset before the first rate; printed after it, per statement and per write, beside
/// the Postgres CPU that run.sh reads from /proc: what the statements do not account for is the protocol, parsing
/// and commit around them.
/// </summary>
internal sealed class StatementStats(string benchConnectionString)
{
    public static bool Enabled => Environment.GetEnvironmentVariable("BENCH_PROFILE") == "1";

    /// <summary>The server settings that load the extension (a server started by the bench; a shared one lacks them).</summary>
    public static string[] ServerSettings => Enabled ? ["shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track_planning=on"] : [];

    public async Task ResetAsync()
    {
        await using var conn = new NpgsqlConnection(benchConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The statements by total time (planning + execution) since <see cref="ResetAsync"/>, for <paramref name="writes"/> writes.</summary>
    public async Task PrintAsync(int writes)
    {
        await using var conn = new NpgsqlConnection(benchConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT calls, ms, sum(ms) OVER () AS total, query FROM (
                SELECT calls, total_plan_time + total_exec_time AS ms, regexp_replace(query, '\s+', ' ', 'g') AS query
                FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())) s
            ORDER BY ms DESC LIMIT 12
            """, conn);
        // The share is of every statement's time, not only of the twelve printed.
        var rows = new List<(long Calls, double Ms, double Total, string Query)>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) rows.Add((r.GetInt64(0), r.GetDouble(1), r.GetDouble(2), r.GetString(3)));
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine($"Postgres statements during the first rate (pg_stat_statements, planning + execution; {writes} writes):");
        Console.WriteLine();
        Console.WriteLine("| statement | calls | total ms | µs per call | µs per write | share |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (calls, ms, total, query) in rows)
            Console.WriteLine(string.Create(c, $"| `{Shorten(query)}` | {calls} | {ms:0} | {1000 * ms / Math.Max(calls, 1):0} | {1000 * ms / Math.Max(writes, 1):0} | {100 * ms / Math.Max(total, 1e-9):0.0} % |"));
    }

    private static string Shorten(string query) => (query.Length <= 110 ? query : query[..107] + "...").Replace("|", "\\|");
}
