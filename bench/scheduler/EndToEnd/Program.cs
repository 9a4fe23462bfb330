using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Platform.Testing;
using Platform.Testing.ApiServer;

// End to end: the apiserver (real Postgres, outbox, Kafka protocol) in this process, the scheduler as its own process
// (the Release build of services/scheduler), nodes registered without agents, pods created over HTTP. Measures the
// time from the first pod created to the last pod bound, counting bindings from platform.pods events.
var nodeCount = Arg("--nodes", 1000);
var podCount = Arg("--pods", 10000);
var timeout = TimeSpan.FromSeconds(Arg("--timeout", 600));
var root = args.SkipWhile(a => a != "--root").Skip(1).FirstOrDefault() ?? Directory.GetCurrentDirectory();
// --precreated: all pods exist before the scheduler starts, so the figure is the scheduler's own rate (list, schedule,
// bind through the apiserver) rather than the apiserver's create rate.
var precreated = args.Contains("--precreated");
// --bind-batch-size N: the scheduler's Scheduler:BindBatchSize (1: one pods/binding request per pod, as kube-scheduler).
var bindBatchSize = Arg("--bind-batch-size", 100);

var pg = new PostgresFixture();
await pg.InitializeAsync();
using var kafka = new KafkaFixture();
var api = await ApiServerHost.StartAsync(pg, kafka);
using var admin = api.AdminClient();
var ns = await admin.CreateNamespaceAsync("bench");
using var tokenResponse = await admin.PostAsJsonAsync("/apis/auth.platform.io/v1/tokens", new { name = "bench-scheduler", role = "scheduler" });
var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.ToString();

var sw = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, nodeCount), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
{
    var node = """{"apiVersion":"v1","kind":"Node","metadata":{"name":"NAME","labels":{"topology.kubernetes.io/zone":"ZONE"}},"status":{"allocatable":{"cpu":"32","memory":"64Gi","pods":"110"}}}"""
        .Replace("NAME", $"node-{i:D5}", StringComparison.Ordinal).Replace("ZONE", $"zone-{i % 10}", StringComparison.Ordinal);
    using var r = await admin.PostAsync("/api/v1/nodes", Http.Json(node), ct);
    r.EnsureSuccessStatusCode();
});
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"registered {nodeCount} nodes in {sw.Elapsed.TotalSeconds:F1}s"));

var created = TimeSpan.Zero;
if (precreated)
{
    created = await CreatePodsAsync();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"created {podCount} pods before starting the scheduler in {created.TotalSeconds:F1}s"));
}
var dir = Path.Combine(root, "services", "scheduler", "bin", "Release", "net10.0");
var psi = new ProcessStartInfo("dotnet", [Path.Combine(dir, "Platform.Scheduler.dll")]) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
psi.Environment["Urls"] = $"http://127.0.0.1:{Network.FreeTcpPort()}";
psi.Environment["Kafka__BootstrapServers"] = kafka.BootstrapServers;
psi.Environment["Scheduler__ApiServerUrl"] = api.BaseAddress.ToString();
psi.Environment["Scheduler__Token"] = token;
psi.Environment["Scheduler__TopicPrefix"] = api.TopicPrefix;
psi.Environment["Scheduler__LeaderElection__ConnectionString"] = api.ConnectionString;
psi.Environment["Scheduler__BindBatchSize"] = bindBatchSize.ToString(CultureInfo.InvariantCulture);
psi.Environment["Logging__LogLevel__Default"] = "Warning";
using var scheduler = Process.Start(psi)!;
scheduler.OutputDataReceived += (_, _) => { };
scheduler.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("scheduler: " + e.Data); };
scheduler.BeginOutputReadLine();
scheduler.BeginErrorReadLine();

// Count bound pods from the pods topic: the same events every consumer of the platform sees.
var bound = new ConcurrentDictionary<string, bool>();
using var stop = new CancellationTokenSource();
var counter = Task.Factory.StartNew(() =>
{
    using var consumer = kafka.CreateConsumer(api.TopicPrefix + "pods");
    while (!stop.IsCancellationRequested)
    {
        var m = consumer.Consume(TimeSpan.FromMilliseconds(200));
        if (m is null || m.IsPartitionEOF || m.Message.Value is null) continue;
        using var doc = JsonDocument.Parse(m.Message.Value);
        if (doc.RootElement.TryGetProperty("spec", out var spec) && spec.TryGetProperty("nodeName", out var node) && node.GetString() is { Length: > 0 })
            bound.TryAdd(m.Message.Key ?? "", true);
    }
    consumer.Close();
}, TaskCreationOptions.LongRunning);

var started = Stopwatch.StartNew();
if (!precreated) created = await CreatePodsAsync();
while (bound.Count < podCount && started.Elapsed < timeout && !scheduler.HasExited) await Task.Delay(100);
var all = started.Elapsed;
await stop.CancelAsync();
await counter;
if (!scheduler.HasExited) scheduler.Kill(entireProcessTree: true);
await api.DisposeAsync();
await pg.DisposeAsync();

if (!precreated)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"created {podCount} pods in {created.TotalSeconds:F1}s ({podCount / created.TotalSeconds:F0} pods/s through the apiserver)"));
var from = precreated ? "the scheduler process started" : "the first create";
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bound {bound.Count}/{podCount} pods {all.TotalSeconds:F1}s after {from}: {bound.Count / all.TotalSeconds:F0} pods/s end to end ({nodeCount} nodes, bind batch size {bindBatchSize})"));
return bound.Count == podCount ? 0 : 1;

async Task<TimeSpan> CreatePodsAsync()
{
    var sw = Stopwatch.StartNew();
    await Parallel.ForEachAsync(Enumerable.Range(0, podCount), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
    {
        var pod = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"NAME","labels":{"app":"APP"}},"spec":{"containers":[{"name":"main","image":"busybox","resources":{"requests":{"cpu":"100m","memory":"128Mi"}}}]}}"""
            .Replace("NAME", $"pod-{i:D6}", StringComparison.Ordinal).Replace("APP", $"app-{i % 20}", StringComparison.Ordinal);
        using var r = await admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Json(pod), ct);
        r.EnsureSuccessStatusCode();
    });
    return sw.Elapsed;
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
