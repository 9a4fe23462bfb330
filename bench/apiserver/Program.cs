using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Platform.ApiServer.Bench;
using Platform.EventBus.Kafka;
using Platform.Testing;

// ./platform bench apiserver: p50/p99 of mutating requests at 100, 500 and 1,000 writes/s, and list latency at 10,000 pods.
// Postgres (own server or PLATFORM_TEST_DATABASE_URL) and a mock Kafka cluster are started here; the apiserver runs as
// its own process. Writes alternate between creating a pod and merge-patching an existing one.
if (args.Length < 1) throw new ArgumentException("usage: Platform.ApiServer.Bench <Platform.ApiServer.dll> [seconds-per-rate] [list-pods]");
var dll = args[0];
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var listPods = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000;
var culture = CultureInfo.InvariantCulture;
// The load generator must not be the bottleneck: no thread-pool ramp-up in the client.
ThreadPool.SetMinThreads(64, 64);

var pg = new PostgresFixture { Settings = StatementStats.ServerSettings };
await pg.InitializeAsync();
using var kafka = MockKafkaCluster.Start(1);
foreach (var topic in new[] { "pods", "namespaces" }) kafka.CreateTopic("platform." + topic, 3, 1);
var token = "bench-" + Guid.NewGuid().ToString("N");
var state = Directory.CreateTempSubdirectory("apiserver-bench-").FullName;
var rows = new List<string>();
var dbUrl = await pg.CreateDatabaseAsync("bench");
try
{
    await using var server = await ServerProcess.StartAsync(dll, Network.FreeTcpPort(), new Dictionary<string, string>
    {
        ["ConnectionStrings__Platform"] = dbUrl + $";Maximum Pool Size={Environment.GetEnvironmentVariable("BENCH_POOL") ?? "200"};Max Auto Prepare=32",
        ["Kafka__BootstrapServers"] = kafka.BootstrapServers,
        ["ApiServer__StateDirectory"] = state,
        ["ApiServer__AdminToken"] = token,
        // BENCH_RETENTION (e.g. 00:00:05): the watch-history compactor and the outbox purge (each once a minute) then
        // delete most of what the run wrote while it runs, as they do in steady state after an hour in production.
        ["ApiServer__WatchHistoryRetention"] = Environment.GetEnvironmentVariable("BENCH_RETENTION") ?? "01:00:00",
        ["Outbox__Retention"] = Environment.GetEnvironmentVariable("BENCH_RETENTION") ?? "01:00:00",
    });
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    (await http.PostAsync("/api/v1/namespaces", new StringContent("""{"metadata":{"name":"bench"}}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    const string pods = "/api/v1/namespaces/bench/pods";

    // Warm-up: JIT (tiered compilation), connection pool, Postgres caches.
    await Load.RunAsync(http, 100, TimeSpan.FromSeconds(2), i => new HttpRequestMessage(HttpMethod.Post, pods) { Content = Load.Pod($"warm-{i}", i) });
    await Load.RunAsync(http, 200, TimeSpan.FromSeconds(5), i => new HttpRequestMessage(HttpMethod.Get, $"{pods}/warm-{i % 200}"));
    // The measured mix itself until .NET's tiered compiler has rejitted its hot code: profiled right after a shorter
    // warm-up, the tiering thread took a quarter of the apiserver's CPU for the first 20 s of load (docs/apiserver.md).
    var warmSeconds = int.Parse(Environment.GetEnvironmentVariable("BENCH_WARMUP_SECONDS") ?? "20", culture);
    if (warmSeconds > 0) await Load.RunAsync(http, 300, TimeSpan.FromSeconds(warmSeconds), i => Write("warmup", i));

    await using var diag = Diagnostics.Enabled ? new Diagnostics(pg.AdminConnectionString, dbUrl, http) : null;
    if (diag is not null) await diag.StartAsync();
    var statements = StatementStats.Enabled ? new StatementStats(dbUrl) : null;
    if (statements is not null) await statements.ResetAsync();
    Console.WriteLine($"apiserver benchmark: {Environment.ProcessorCount} cores, {seconds}s per rate, writes alternate create pod / merge-patch pod");
    Console.WriteLine();
    Console.WriteLine("| offered writes/s | achieved/s | requests | errors | p50 ms | p99 ms | max ms |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
    // BENCH_RATES: other offered rates, e.g. "1000,1500,2000" to find where writes saturate.
    var rates = (Environment.GetEnvironmentVariable("BENCH_RATES") ?? "100,500,1000").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture));
    foreach (var rate in rates)
    {
        var prefix = $"r{rate}";
        var timeline = new List<(DateTime, double)>();
        var midRun = diag?.MidRunAsync(rate) ?? Task.CompletedTask;
        var (lat, errors, taken) = await Load.RunAsync(http, rate, TimeSpan.FromSeconds(seconds), i => Write(prefix, i), timeline);
        var row = $"| {rate} | {(lat.Count + errors) / taken:0} | {lat.Count + errors} | {errors} | {Percentiles.Of(lat, 50):0.0} | {Percentiles.Of(lat, 99):0.0} | {(lat.Count > 0 ? lat[^1] : double.NaN):0.0} |";
        Console.WriteLine(row);
        rows.Add(row);
        await midRun;
        if (statements is not null && rows.Count == 1) await statements.PrintAsync(lat.Count + errors);
        diag?.Report($"{rate}/s", timeline);
    }

    // How many of the objects table's updates were HOT (heap-only: no index touched); statistics arrive within ~0.5 s.
    await Task.Delay(1000);
    await using (var conn = new Npgsql.NpgsqlConnection(dbUrl))
    {
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "SELECT n_tup_ins, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'apiserver_objects'", conn);
        await using var r = await cmd.ExecuteReaderAsync();
        if (await r.ReadAsync())
            Console.WriteLine($"\napiserver_objects: {r.GetInt64(0)} inserts, {r.GetInt64(1)} updates, {r.GetInt64(2)} of them HOT ({(r.GetInt64(1) > 0 ? 100.0 * r.GetInt64(2) / r.GetInt64(1) : 0):0.0} %)");
    }

    // Fill to the list size with bounded concurrency, then time full and selected lists.
    var fill = Stopwatch.StartNew();
    for (var round = 0; round < 5; round++)
    {
        using var current = await http.GetAsync(pods + "?labelSelector=app%3Dbench");
        var have = (await current.Content.ReadAsStringAsync()).Split("\"kind\":\"Pod\"").Length - 1;
        if (have >= listPods) break;
        var offset = round * 1_000_000;
        await Load.RunAsync(http, 2000, TimeSpan.FromSeconds((listPods - have) / 2000.0), i => new HttpRequestMessage(HttpMethod.Post, pods) { Content = Load.Pod($"fill-{offset + i}", i) });
    }
    using (var count = await http.GetAsync(pods + "?fieldSelector=metadata.namespace%3Dbench"))
    {
        var body = await count.Content.ReadAsStringAsync();
        var total = body.Split("\"kind\":\"Pod\"").Length - 1;
        Console.WriteLine();
        Console.WriteLine($"list latency with {total} pods in the namespace (filled in {fill.Elapsed.TotalSeconds:0.0}s), 20 requests each, sequential:");
        Console.WriteLine();
    }
    Console.WriteLine("| request | items | bytes | p50 ms | p99 ms |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    foreach (var (label, url) in new[] { ("list all pods", pods), ("labelSelector shard=s3", pods + "?labelSelector=shard%3Ds3"), ("labelSelector shard in (s1,s2),app", pods + "?labelSelector=" + Uri.EscapeDataString("shard in (s1,s2),app")) })
    {
        var lat = new List<double>();
        var items = 0;
        var bytes = 0;
        for (var i = 0; i < 20; i++)
        {
            var sw = Stopwatch.StartNew();
            using var r = await http.GetAsync(url);
            var body = await r.Content.ReadAsByteArrayAsync();
            lat.Add(sw.Elapsed.TotalMilliseconds);
            bytes = body.Length;
            items = Encoding.UTF8.GetString(body).Split("\"kind\":\"Pod\"").Length - 1;
        }
        lat.Sort();
        Console.WriteLine($"| {label} | {items} | {bytes} | {Percentiles.Of(lat, 50):0.0} | {Percentiles.Of(lat, 99):0.0} |");
    }
    if (diag is not null) await diag.PrintPostgresLogAsync();
}
finally
{
    await pg.DisposeAsync();
    try { Directory.Delete(state, recursive: true); } catch (IOException) { }
}
_ = culture;

// The measured writes: creating a pod (named by prefix) and merge-patching one of the warm-up pods, alternately.
static HttpRequestMessage Write(string prefix, int i)
{
    const string pods = "/api/v1/namespaces/bench/pods";
    if (i % 2 == 0 || i < 2) return new HttpRequestMessage(HttpMethod.Post, pods) { Content = Load.Pod($"{prefix}-{i}", i) };
    // Warm-up pods exist for sure; a pod created a moment ago may still be in flight.
    var patch = new StringContent("{\"metadata\":{\"annotations\":{\"touched\":\"" + i + "\"}}}", Encoding.UTF8);
    patch.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
    return new HttpRequestMessage(HttpMethod.Patch, $"{pods}/warm-{i % 200}") { Content = patch };
}
