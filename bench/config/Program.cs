using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Platform.Config.Client;
using Platform.ConfigServer.Bench;
using Platform.EventBus.Kafka;
using Platform.Testing;

// Usage: Platform.ConfigServer.Bench <server dll> [seconds per backend] [concurrency]
var serverDll = args.Length > 0 ? args[0] : throw new ArgumentException("usage: bench <Platform.ConfigServer.dll> [seconds] [concurrency]");
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
const string User = "bench", Password = "bench-pass";
var work = Path.Combine(Path.GetTempPath(), "config-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(work);
var results = new List<LoadResult>();

using var kafka = MockKafkaCluster.Start(1);
var common = new Dictionary<string, string>
{
    ["ConfigServer__Security__Username"] = User,
    ["ConfigServer__Security__Password"] = Password,
    ["ConfigServer__Encrypt__Key"] = "bench-key",
    ["Kafka__BootstrapServers"] = kafka.BootstrapServers,
    ["ConfigServer__Bus__Topic"] = "springCloudBus",
};
kafka.CreateTopic("springCloudBus", 1);

try
{
    // Same content in every backend: an application file, a profile file and the shared application file.
    var files = new Dictionary<string, string>
    {
        ["application.yml"] = "shared:\n  timeout: 30\n  retries: 3\n  greeting: hello\n",
        ["orders.yml"] = "orders:\n  page-size: 20\n  region: eu\n  limits: [1, 2, 3]\n  url: http://orders.local/api\n",
        ["orders-dev.yml"] = "orders:\n  page-size: 50\n  debug: true\n",
    };
    var native = Path.Combine(work, "native");
    Directory.CreateDirectory(native);
    foreach (var (name, text) in files) await File.WriteAllTextAsync(Path.Combine(native, name), text);

    Console.WriteLine($"config server benchmark: {seconds}s per backend, {concurrency} concurrent clients, GET /orders/dev");
    await using (var server = await StartServerAsync(serverDll, Network.FreeTcpPort(), With(common, new()
    {
        ["ConfigServer__Native__Enabled"] = "true",
        ["ConfigServer__Native__SearchLocations__0"] = native,
    })))
    {
        results.Add(await LoadGenerator.RunAsync("native", server.BaseAddress, "orders/dev", User, Password, concurrency, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(seconds)));
        Console.WriteLine(results[^1]);
        var refresh = await RefreshPropagation.MeasureAsync(server.BaseAddress, native, kafka.BootstrapServers, User, Password, clients: 10, rounds: 5);
        Console.WriteLine(refresh);
    }

    var bare = await GitRepo.CreateAsync(work, files);
    await using (var server = await StartServerAsync(serverDll, Network.FreeTcpPort(), With(common, new()
    {
        ["ConfigServer__Git__Uri"] = bare,
        ["ConfigServer__Git__BaseDir"] = Path.Combine(work, "git-clone"),
        ["ConfigServer__Git__RefreshRateSeconds"] = "5",
    })))
    {
        results.Add(await LoadGenerator.RunAsync("git (warm, refresh 5 s)", server.BaseAddress, "orders/dev", User, Password, concurrency, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(seconds)));
        Console.WriteLine(results[^1]);
    }
    await using (var server = await StartServerAsync(serverDll, Network.FreeTcpPort(), With(common, new()
    {
        ["ConfigServer__Git__Uri"] = bare,
        ["ConfigServer__Git__BaseDir"] = Path.Combine(work, "git-clone-0"),
        ["ConfigServer__Git__RefreshRateSeconds"] = "0",
    })))
    {
        results.Add(await LoadGenerator.RunAsync("git (fetch every request)", server.BaseAddress, "orders/dev", User, Password, concurrency, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(Math.Max(3, seconds / 2))));
        Console.WriteLine(results[^1]);
    }

    var postgres = new PostgresFixture();
    await postgres.InitializeAsync();
    try
    {
        var cs = await postgres.CreateDatabaseAsync("cfgbench");
        await Jdbc.SeedAsync(cs);
        await using var server = await StartServerAsync(serverDll, Network.FreeTcpPort(), With(common, new()
        {
            ["ConfigServer__Jdbc__ConnectionString"] = cs,
        }));
        results.Add(await LoadGenerator.RunAsync("postgres", server.BaseAddress, "orders/dev", User, Password, concurrency, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(seconds)));
        Console.WriteLine(results[^1]);
    }
    finally
    {
        await postgres.DisposeAsync();
    }

    var nativeRps = results[0].RequestsPerSecond;
    var gitRps = results[1].RequestsPerSecond;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"git warm / native throughput: {gitRps / nativeRps:F2} (target >= 0.50)"));
}
finally
{
    try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
}

static Dictionary<string, string> With(Dictionary<string, string> a, Dictionary<string, string> b)
{
    var all = new Dictionary<string, string>(a);
    foreach (var (k, v) in b) all[k] = v;
    return all;
}

// The config server is ready when it is alive: backends report on /readyz separately.
static Task<ServerProcess> StartServerAsync(string dll, int port, IDictionary<string, string> env) =>
    ServerProcess.StartAsync(dll, port, env, healthPath: "healthz", startTimeout: TimeSpan.FromSeconds(60));
