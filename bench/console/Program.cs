using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Platform.Bench.Console;
using Platform.EventBus.Kafka;
using Platform.Testing;

// ./platform bench console: the time to load the console's pages as the admin with 1,000 pods (BENCH_PODS) bound to a
// fake node, N loads each (BENCH_LOADS, default 50) after a warm-up, p50/p99/max. Postgres and a mock Kafka cluster
// are started here; the apiserver and the console run as their own Release processes.
if (args.Length < 2) throw new ArgumentException("usage: Platform.Bench.Console <Platform.ApiServer.dll> <Platform.Console.dll> [pods] [loads]");
var pods = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
var loads = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 50;

var pg = new PostgresFixture();
await pg.InitializeAsync();
using var kafka = MockKafkaCluster.Start(1);
foreach (var plural in new[] { "pods", "namespaces", "nodes", "events", "deployments", "replicasets" }) kafka.CreateTopic("platform." + plural, 3, 1);
var token = "bench-" + Guid.NewGuid().ToString("N");
var state = Directory.CreateTempSubdirectory("console-bench-").FullName;
try
{
    await using var apiserver = await ServerProcess.StartAsync(args[0], Network.FreeTcpPort(), new Dictionary<string, string>
    {
        ["ConnectionStrings__Platform"] = await pg.CreateDatabaseAsync("consolebench"),
        ["Kafka__BootstrapServers"] = kafka.BootstrapServers,
        ["ApiServer__StateDirectory"] = state,
        ["ApiServer__AdminToken"] = token,
    });
    using var admin = new HttpClient { BaseAddress = apiserver.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    var seeding = Stopwatch.StartNew();
    await Seed.RunAsync(admin, pods);
    Console.WriteLine($"seeded {pods} pods on node {Seed.Node} in {Seed.Namespaces} namespaces in {seeding.Elapsed.TotalSeconds:0.0} s");

    await using var console = await ServerProcess.StartAsync(args[1], Network.FreeTcpPort(), new Dictionary<string, string>
    {
        ["Console__ApiServerUrl"] = apiserver.BaseAddress.ToString(),
        ["Kafka__BootstrapServers"] = kafka.BootstrapServers,
    }, healthPath: "healthz");
    using var browser = await SignedInAsync(console.BaseAddress, token);

    // CPU per load: what a page costs its server, apart from the time it waited for a core on a busy machine.
    var apiserverCpu = ProcessCpu.Find(args[0]);
    var consoleCpu = ProcessCpu.Find(args[1]);
    var pages = new (string Name, Func<Task> Load, ProcessCpu? Cpu)[]
    {
        ($"apiserver GET /api/v1/pods ({pods} pods, for comparison)", () => Fetch(admin, "/api/v1/pods"), apiserverCpu),
        ("console /pods (all namespaces, page 1 of Console:PodsPerPage rows)", () => Fetch(browser, "/pods"), consoleCpu),
        ("console /pods?page=10 (the same list read, its last page)", () => Fetch(browser, "/pods?page=10"), consoleCpu),
        ("console /pods?ns=bench-0", () => Fetch(browser, "/pods?ns=bench-0"), consoleCpu),
        ("console / (overview)", () => Fetch(browser, "/"), consoleCpu),
    };
    Console.WriteLine($"console page loads as the admin, {Environment.ProcessorCount} cores, {loads} loads each after 5 warm-up loads, one at a time");
    Console.WriteLine();
    Console.WriteLine("| page | p50 ms | p99 ms | max ms | server CPU ms per load |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    foreach (var (name, load, cpu) in pages)
    {
        for (var i = 0; i < 5; i++) await load();
        var cpuBefore = cpu?.Milliseconds();
        var times = new List<double>();
        for (var i = 0; i < loads; i++)
        {
            var sw = Stopwatch.StartNew();
            await load();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        var cpuPerLoad = cpu is null ? double.NaN : (cpu.Milliseconds() - cpuBefore!.Value) / loads;
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {At(times, 50):0.0} | {At(times, 99):0.0} | {times[^1]:0.0} | {cpuPerLoad:0.0} |"));
    }
    // BENCH_HOLD=seconds: keep loading /pods that long after the table, to sample the console's stacks (dotnet-stack).
    var hold = Stopwatch.StartNew();
    while (hold.Elapsed.TotalSeconds < int.Parse(Environment.GetEnvironmentVariable("BENCH_HOLD") ?? "0", CultureInfo.InvariantCulture))
        await Fetch(browser, "/pods");
}
finally
{
    Directory.Delete(state, recursive: true);
    await pg.DisposeAsync();
}

static double At(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

// A page load is the whole body read, as a browser needs it before it can render.
static async Task Fetch(HttpClient http, string path)
{
    using var r = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
    if (r.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {path}: {(int)r.StatusCode}");
}

// Signs in through the form as a browser does: the antiforgery token from /signin, then the token posted.
static async Task<HttpClient> SignedInAsync(Uri console, string token)
{
    var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
    {
        BaseAddress = console, Timeout = TimeSpan.FromSeconds(60),
    };
    var form = await http.GetStringAsync("/signin");
    var antiforgery = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    using var signedIn = await http.PostAsync("/signin", new FormUrlEncodedContent(
        [new("token", token), new("__RequestVerificationToken", WebUtility.HtmlDecode(antiforgery))]));
    if (signedIn.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in: {(int)signedIn.StatusCode}");
    return http;
}
