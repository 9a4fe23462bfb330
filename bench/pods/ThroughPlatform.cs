using System.Globalization;
using Platform.ApiServer.Client;
using Platform.Contracts.Resources;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.Bench.Pods;

/// <summary>
/// create→Ready through the running platform (./platform up): pods created unbound, at a steady rate, in a namespace
/// of their own; the scheduler binds them, the node agents start them. One round per rate, each round's pods deleted
/// before the next. Prints each round's create→bound, bound→Ready and create→Ready, then the first rate whose p99
/// crossed 5 s.
/// </summary>
internal static class ThroughPlatform
{
    private const string Image = "platform/busybox:latest";

    public static async Task<int> RunAsync(int count, IReadOnlyList<int> rates)
    {
        static string Need(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v
            ? v
            : throw new InvalidOperationException($"{name} is not set: run through ./platform bench pods, which exports ./platform env");
        var replicas = ApiServerEndpoints.Parse(Environment.GetEnvironmentVariable("PLATFORM_APISERVER_URLS") is { Length: > 0 } urls ? urls : Need("PLATFORM_APISERVER_URL"),
            "PLATFORM_APISERVER_URLS");
        var handler = new FailoverHandler(replicas) { InnerHandler = ApiServerTrust.Handler(Environment.GetEnvironmentVariable("PLATFORM_CA_FILE")) };
        using var api = new HttpClient(handler) { BaseAddress = replicas.Replicas[0], Timeout = TimeSpan.FromSeconds(30) };
        api.DefaultRequestHeaders.Authorization = new("Bearer", Need("PLATFORM_TOKEN"));

        var ns = "bench-pods-" + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        await api.CreateNamespaceAsync(ns);
        var crossed = (int?)null;
        try
        {
            await RoundAsync(api, ns, "warmup", 5, 5); // first starts pay one-off costs (JIT, image layers)
            foreach (var rate in rates)
            {
                var p99 = await RoundAsync(api, ns, $"r{rate}", count, rate);
                if (p99 > 5000 && crossed is null) crossed = rate;
            }
        }
        finally
        {
            await ClusterApi.SendAsync(api, HttpMethod.Delete, $"/api/v1/namespaces/{ns}");
        }
        Console.WriteLine(crossed is { } r
            ? $"create->Ready p99 crossed 5 s at {r} pods/s"
            : $"create->Ready p99 stayed under 5 s up to {rates.Max()} pods/s");
        return 0;
    }

    private static async Task<double> RoundAsync(HttpClient api, string ns, string prefix, int count, int rate)
    {
        var latencies = new PodLatencies();
        using var watchCancel = new CancellationTokenSource();
        var watch = latencies.FollowAsync(api, ns, watchCancel.Token);
        await Task.Delay(200); // the watch is open before the first create
        var started = DateTime.UtcNow;
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var creates = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var due = started + interval * i;
            if (due > DateTime.UtcNow) await Task.Delay(due - DateTime.UtcNow);
            var name = $"{prefix}-{i:000}";
            latencies.Created(name);
            // Not awaited one by one: a slow answer must not lower the offered rate.
            creates.Add(api.CreateAsync($"/api/v1/namespaces/{ns}/pods", Pod(name, prefix)));
        }
        await Task.WhenAll(creates);
        var deadline = DateTime.UtcNow.AddSeconds(120 + count / 2.0);
        while (!latencies.AllReady)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{latencies.ReadyCount} of {count} pods Ready after {(DateTime.UtcNow - started).TotalSeconds:0} s at {rate}/s");
            await Task.Delay(200);
        }
        await watchCancel.CancelAsync();
        await watch;
        var p99 = prefix == "warmup" ? 0 : latencies.Print($"{count} pods at {rate}/s through the platform (scheduler, node agents), image present, no readiness probe");
        await ClusterApi.SendAsync(api, HttpMethod.Delete, $"/api/v1/namespaces/{ns}/pods?labelSelector=bench%3D{prefix}");
        await Eventually.WaitAsync(async () => (await api.ListAsync<Pod>($"/api/v1/namespaces/{ns}/pods?labelSelector=bench%3D{prefix}")).Count == 0,
            TimeSpan.FromSeconds(180), $"round {prefix}'s pods deleted");
        return p99;
    }

    private static Pod Pod(string name, string round) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new ObjectMeta { Name = name, Labels = new() { ["bench"] = round } },
        Spec = new PodSpec
        {
            TerminationGracePeriodSeconds = 1,
            Containers = [new Container { Name = "main", Image = Image, Command = ["httpd", "-f", "-p", "80", "-h", "/www"] }],
        },
    };
}
