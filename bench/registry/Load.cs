using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Platform.Discovery.Bench;

/// <summary>Bounded load loops (count and time) against one registry.</summary>
internal sealed class Load(Uri eureka, int concurrency)
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, AutomaticDecompression = System.Net.DecompressionMethods.None })
    {
        BaseAddress = eureka,
        Timeout = TimeSpan.FromSeconds(60),
    };

    private const string Template = """
        {"instance":{"instanceId":"{ID}","hostName":"127.0.0.1","app":"{APP}","ipAddr":"127.0.0.1","status":"UP",
        "port":{"$":{PORT},"@enabled":"true"},"securePort":{"$":443,"@enabled":"false"},"vipAddress":"{VIP}",
        "dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"},
        "leaseInfo":{"renewalIntervalInSecs":30,"durationInSecs":900},"metadata":{"zone":"{ZONE}"}}}
        """;

    public async Task WaitUntilUpAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var r = await _http.GetAsync("apps");
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException("registry did not start");
    }

    public Task<Throughput> RegisterAsync(int from, int count, TimeSpan limit) => RunAsync(count, limit, async n =>
    {
        var i = from + n;
        var app = $"BENCH-APP-{i % 500}";
        var body = Template.Replace("{ID}", $"bench-{i}", StringComparison.Ordinal).Replace("{APP}", app, StringComparison.Ordinal)
            .Replace("{VIP}", app.ToLowerInvariant(), StringComparison.Ordinal)
            .Replace("{PORT}", (10000 + i % 50000).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{ZONE}", $"z{i % 3}", StringComparison.Ordinal);

        using var r = await _http.PostAsync($"apps/{app}", new StringContent(body, Encoding.UTF8, "application/json"));
        if ((int)r.StatusCode != 204) throw new InvalidOperationException($"register answered {(int)r.StatusCode}");
    });

    public Task<Throughput> HeartbeatAsync(int instances, int count, TimeSpan limit) => RunAsync(count, limit, async n =>
    {
        var i = n % instances;
        using var r = await _http.PutAsync($"apps/BENCH-APP-{i % 500}/bench-{i}?status=UP", null);
        if ((int)r.StatusCode != 200) throw new InvalidOperationException($"heartbeat answered {(int)r.StatusCode}");
    });

    /// <summary>Full fetches, 4 at a time (clients fetch rarely; latency matters, not throughput).</summary>
    public async Task<Latency> FullFetchAsync(int samples, bool gzip, TimeSpan limit)
    {
        // A change first, so the first fetch renders (uncached) and the rest come from the response cache.
        await RegisterAsync(10_000_000, 1, limit);
        var times = new List<double>();
        long bytes = 0;
        double first = 0;
        var deadline = DateTime.UtcNow + limit;
        var next = 0;
        async Task Worker()
        {
            while (Interlocked.Increment(ref next) <= samples && DateTime.UtcNow < deadline)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "apps/");
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (gzip) request.Headers.AcceptEncoding.ParseAdd("gzip");
                var watch = Stopwatch.StartNew();
                using var r = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                var body = await r.Content.ReadAsByteArrayAsync();
                watch.Stop();
                lock (times)
                {
                    if (times.Count == 0) first = watch.Elapsed.TotalMilliseconds;
                    times.Add(watch.Elapsed.TotalMilliseconds);
                    bytes = body.Length;
                }
            }
        }
        await Worker();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Worker()));
        times.Sort();
        return new Latency(times.Count, Percentile(times, 0.50), Percentile(times, 0.99), first, bytes);
    }

    private async Task<Throughput> RunAsync(int count, TimeSpan limit, Func<int, Task> op)
    {
        var deadline = DateTime.UtcNow + limit;
        var next = -1;
        var done = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < count && DateTime.UtcNow < deadline)
            {
                await op(n);
                Interlocked.Increment(ref done);
            }
        }));
        watch.Stop();
        return new Throughput(done, watch.Elapsed);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

internal sealed record Throughput(int Count, TimeSpan Elapsed)
{
    public double PerSecond => Count / Elapsed.TotalSeconds;
}

internal sealed record Latency(int Samples, double P50, double P99, double First, long Bytes);
