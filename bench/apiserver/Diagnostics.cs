using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Platform.ApiServer.Bench;

/// <summary>
/// BENCH_DIAG=1: evidence for latency stalls. Turns on Postgres' own logging (checkpoints, autovacuum, lock waits,
/// statements over 50 ms) on the bench's server, samples pg_stat_activity and the apiserver's /healthz (which touches
/// no database: a slow /healthz means the apiserver process itself stalled, GC or thread pool) every 20 ms, and at
/// the end prints what was going on around each slow write.
/// </summary>
internal sealed class Diagnostics(string adminConnectionString, string benchConnectionString, HttpClient http) : IAsyncDisposable
{
    private readonly List<(DateTime At, double PgMs, string Activity)> _pg = [];
    private readonly List<(DateTime At, double Ms)> _health = [];
    private readonly Dictionary<string, int> _holder = [];
    private readonly List<(DateTime At, string What)> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _sampler;
    private Task? _prober;

    public static bool Enabled => Environment.GetEnvironmentVariable("BENCH_DIAG") == "1";

    public async Task StartAsync()
    {
        await using (var conn = new NpgsqlConnection(adminConnectionString))
        {
            await conn.OpenAsync();
            foreach (var s in new[] { "log_checkpoints = on", "log_autovacuum_min_duration = 0", "log_min_duration_statement = 50", "log_line_prefix = '%m [%p] %a: '" })
            {
                await using var cmd = new NpgsqlCommand("ALTER SYSTEM SET " + s, conn);
                await cmd.ExecuteNonQueryAsync();
            }
            await using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", conn);
            await reload.ExecuteNonQueryAsync();
        }
        await using (var conn = new NpgsqlConnection(benchConnectionString))
        {
            await conn.OpenAsync();
            await using var ext = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pgstattuple", conn);
            await ext.ExecuteNonQueryAsync();
            // BENCH_DIAG_SQL: an experiment on the bench database (e.g. a storage parameter) before the measured rates.
            if (Environment.GetEnvironmentVariable("BENCH_DIAG_SQL") is { Length: > 0 } sql)
            {
                await using var experiment = new NpgsqlCommand(sql, conn);
                await experiment.ExecuteNonQueryAsync();
                Console.WriteLine($"experiment: {sql}");
            }
        }
        _sampler = Task.Run(SampleAsync);
        _prober = Task.Run(ProbeAsync);
    }

    private async Task SampleAsync()
    {
        await using var conn = new NpgsqlConnection(benchConnectionString + ";Application Name=bench-sampler");
        await conn.OpenAsync();
        var pending = new Dictionary<string, long>();
        while (!_stop.IsCancellationRequested)
        {
            var at = DateTime.UtcNow;
            // GIN indexes buffer new entries in a pending list and merge it into the index when it outgrows
            // gin_pending_list_limit (or at vacuum/analyze): record when that happens.
            await using (var gin = new NpgsqlCommand("""
                SELECT c.relname, (pgstatginindex(c.oid)).pending_pages FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid
                JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'gin'
                """, conn))
            await using (var r = await gin.ExecuteReaderAsync())
                while (await r.ReadAsync())
                {
                    var (index, pages) = (r.GetString(0), r.GetInt64(1));
                    if (pending.TryGetValue(index, out var before) && pages < before)
                        lock (_events) _events.Add((at, $"GIN pending list of {index} merged: {before} -> {pages} pages"));
                    pending[index] = pages;
                }
            var sw = Stopwatch.StartNew();
            await using var cmd = new NpgsqlCommand("""
                SELECT string_agg(w || ' x' || n, ', ' ORDER BY n DESC) FROM (
                    SELECT state || '/' || coalesce(wait_event_type || ':' || wait_event, 'cpu') AS w, count(*) AS n
                    FROM pg_stat_activity WHERE backend_type IN ('client backend', 'autovacuum worker') AND state IS DISTINCT FROM 'idle' AND pid <> pg_backend_pid()
                    GROUP BY 1) s
                """, conn);
            var activity = await cmd.ExecuteScalarAsync() as string ?? "";
            lock (_pg) _pg.Add((at, sw.Elapsed.TotalMilliseconds, activity));
            // While writers queue for the resourceVersion lock, what is its holder doing?
            await using var holder = new NpgsqlCommand("""
                SELECT a.state || '/' || coalesce(a.wait_event_type || ':' || a.wait_event, 'cpu'),
                       (SELECT count(*) FROM pg_locks w WHERE w.locktype = 'advisory' AND w.objid = 7070001 AND NOT w.granted)
                FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.objid = 7070001 AND l.granted
                """, conn);
            await using (var r = await holder.ExecuteReaderAsync())
                if (await r.ReadAsync() && r.GetInt64(1) > 0)
                    lock (_holder) _holder[r.GetString(0)] = _holder.GetValueOrDefault(r.GetString(0)) + 1;
            await Task.Delay(20);
        }
    }

    private async Task ProbeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var at = DateTime.UtcNow;
            var sw = Stopwatch.StartNew();
            try { using var _ = await http.GetAsync("healthz"); } catch (HttpRequestException) { }
            lock (_health) _health.Add((at, sw.Elapsed.TotalMilliseconds));
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// BENCH_DIAG_MIDRUN_SQL: run on the bench database 3 s into the 500/s step (e.g. <c>ANALYZE apiserver_objects</c>),
    /// to see whether what autovacuum does at the end of its pass is what slows writers down.
    /// </summary>
    public Task MidRunAsync(int rate)
    {
        if (rate != 500 || Environment.GetEnvironmentVariable("BENCH_DIAG_MIDRUN_SQL") is not { Length: > 0 } sql) return Task.CompletedTask;
        return Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            await using var conn = new NpgsqlConnection(benchConnectionString);
            await conn.OpenAsync();
            var at = DateTime.UtcNow;
            await using var cmd = new NpgsqlCommand(sql, conn);
            await cmd.ExecuteNonQueryAsync();
            lock (_events) _events.Add((at, $"ran {sql} ({(DateTime.UtcNow - at).TotalMilliseconds:0} ms)"));
        });
    }

    /// <summary>Prints the slow writes (grouped into stalls) with what Postgres and /healthz showed meanwhile.</summary>
    public void Report(string phase, List<(DateTime Start, double Ms)> requests)
    {
        var slow = requests.Where(r => r.Ms > 50).OrderBy(r => r.Start).ToList();
        if (slow.Count == 0) return;
        var groups = new List<List<(DateTime Start, double Ms)>>();
        foreach (var r in slow)
        {
            if (groups.Count > 0 && r.Start - groups[^1][^1].Start < TimeSpan.FromMilliseconds(200)) groups[^1].Add(r);
            else groups.Add([r]);
        }
        Console.WriteLine($"  [{phase}] {slow.Count} writes over 50 ms in {groups.Count} stalls");
        foreach (var g in groups.Take(8))
        {
            var from = g[0].Start;
            var to = g.Max(r => r.Start.AddMilliseconds(r.Ms));
            Console.WriteLine($"  stall {from:HH:mm:ss.fff}-{to:HH:mm:ss.fff}: {g.Count} slow writes, max {g.Max(r => r.Ms):0} ms");
            lock (_events)
                foreach (var e in _events.Where(e => e.At >= from.AddMilliseconds(-1000) && e.At <= to))
                    Console.WriteLine($"    EVENT {e.At:HH:mm:ss.fff} {e.What}");
            lock (_health)
                foreach (var h in _health.Where(h => h.At >= from.AddMilliseconds(-100) && h.At <= to && h.Ms > 20))
                    Console.WriteLine($"    healthz {h.At:HH:mm:ss.fff} took {h.Ms:0} ms");
            lock (_pg)
                foreach (var p in _pg.Where(p => p.At >= from.AddMilliseconds(-300) && p.At <= to).Take(25))
                    Console.WriteLine($"    pg {p.At:HH:mm:ss.fff} ({p.PgMs:0} ms) {p.Activity}");
        }
    }

    public async Task PrintPostgresLogAsync()
    {
        lock (_events)
            foreach (var e in _events) Console.WriteLine($"event {e.At:HH:mm:ss.fff} {e.What}");
        await using (var conn = new NpgsqlConnection(benchConnectionString))
        {
            // Whether the history compactor and the outbox purge ran (BENCH_RETENTION): what is left of the run's rows.
            await conn.OpenAsync();
            await using var left = new NpgsqlCommand("""
                SELECT (SELECT count(*) FROM apiserver_changes), (SELECT count(*) FROM platform_outbox),
                       (SELECT coalesce(max(compacted_through), 0) FROM apiserver_compaction), (SELECT last_value FROM apiserver_resource_version)
                """, conn);
            await using var r = await left.ExecuteReaderAsync();
            await r.ReadAsync();
            Console.WriteLine($"rows left: {r.GetInt64(0)} history, {r.GetInt64(1)} outbox; compacted through resourceVersion {r.GetInt64(2)} of {r.GetInt64(3)}");
        }
        lock (_holder)
        {
            Console.WriteLine($"resourceVersion lock holder's state in samples where others waited for it ({_holder.Values.Sum()} samples):");
            foreach (var (state, n) in _holder.OrderByDescending(h => h.Value)) Console.WriteLine($"  {state}: {n}");
        }
        string dir;
        await using (var conn = new NpgsqlConnection(adminConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT current_setting('data_directory')", conn);
            dir = (string)(await cmd.ExecuteScalarAsync())!;
        }
        var log = Path.Combine(dir, "log");
        if (!File.Exists(log)) return;
        var copy = Environment.GetEnvironmentVariable("BENCH_DIAG_LOG") ?? Path.Combine(Path.GetTempPath(), "apiserver-bench-postgres.log");
        File.Copy(log, copy, overwrite: true);
        Console.WriteLine($"Postgres log copied to {copy}; checkpoints, autovacuum and statements over 50 ms other than the resourceVersion lock wait:");
        foreach (var line in File.ReadLines(log).Where(l => l.Contains("checkpoint", StringComparison.Ordinal) || l.Contains("vacuum", StringComparison.Ordinal) || (l.Contains("duration:", StringComparison.Ordinal) && !l.Contains("pg_advisory_xact_lock", StringComparison.Ordinal))).Take(100))
            Console.WriteLine("  " + line);
        _ = CultureInfo.InvariantCulture;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { if (_sampler is not null) await _sampler; } catch (NpgsqlException) { }
        try { if (_prober is not null) await _prober; } catch (TaskCanceledException) { }
        _stop.Dispose();
    }
}
