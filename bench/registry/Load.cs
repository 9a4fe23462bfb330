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

    /// <summary>Registers instances <paramref name="from"/>.. (with <paramref name="modulo"/>, the same ones again and again: a re-registration).</summary>
    public Task<Throughput> RegisterAsync(int from, int count, TimeSpan limit, int modulo = int.MaxValue) => RunAsync(count, limit, async n =>
    {
        var i = (from + n) % modulo;
        var app = $"BENCH-APP-{i % 500}";
        var body = Template.Replace("{ID}", $"bench-{i}", StringComparison.Ordinal).Replace("{APP}", app, StringComparison.Ordinal)
            .Replace("{VIP}", app.ToLowerInvariant(), StringComparison.Ordinal)
            .Replace("{PORT}", (10000 + i % 50000).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{ZONE}", $"z{i % 3}", StringComparison.Ordinal);

        using var r = await _http.PostAsync($"apps/{app}", new StringContent(body, Encoding.UTF8, "application/json"));
        if ((int)r.StatusCode != 204) throw new InvalidOperationException($"register answered {(int)r.StatusCode}");
    });

    /// <summary>JIT and connection warm-up: heartbeats for unknown instances (404s), not counted.</summary>
    public Task<Throughput> WarmUpAsync(int count) => RunAsync(count, TimeSpan.FromSeconds(30), async n =>
    {
        using var r = await _http.PutAsync($"apps/WARMUP/none-{n}", null);
    });

    public Task<Throughput> HeartbeatAsync(int instances, int count, TimeSpan limit) => RunAsync(count, limit, async n =>
    {
        var i = n % instances;
        using var r = await _http.PutAsync($"apps/BENCH-APP-{i % 500}/bench-{i}?status=UP", null);
        if ((int)r.StatusCode != 200) throw new InvalidOperationException($"heartbeat answered {(int)r.StatusCode}");
    });

    /// <summary>
    /// One fetch right after a change (the registry serializes it), then, once the background warm-up had a
    /// second, <paramref name="samples"/> fetches 4 at a time as clients see them between changes.
    /// </summary>
    public async Task<Latency> FullFetchAsync(int samples, bool gzip, TimeSpan limit)
    {
        await RegisterAsync(10_000_000 + (gzip ? 1 : 0), 1, limit);
        var (uncached, bytes) = await FetchOnceAsync(gzip);
        await RegisterAsync(20_000_000 + (gzip ? 1 : 0), 1, limit);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var times = new List<double>();
        var deadline = DateTime.UtcNow + limit;
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= samples && DateTime.UtcNow < deadline)
            {
                var (ms, _) = await FetchOnceAsync(gzip);
                lock (times) times.Add(ms);
            }
        }));
        times.Sort();
        return new Latency(times.Count, Percentile(times, 0.50), Percentile(times, 0.99), uncached, bytes);
    }

    /// <summary>
    /// Delta fetches (<c>apps/delta</c>, gzip, what a client polls every 30 s) while instances change: each sample
    /// first re-registers one instance so the delta is never empty, then fetches, 4 at a time.
    /// </summary>
    public async Task<Latency> DeltaFetchAsync(int instances, int samples, TimeSpan limit)
    {
        var times = new List<double>();
        long bytes = 0;
        var deadline = DateTime.UtcNow + limit;
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) <= samples && DateTime.UtcNow < deadline)
            {
                await RegisterAsync(n % instances, 1, limit);
                var (ms, size) = await FetchOnceAsync(gzip: true, "apps/delta");
                lock (times)
                {
                    times.Add(ms);
                    bytes = size;
                }
            }
        }));
        times.Sort();
        return new Latency(times.Count, Percentile(times, 0.50), Percentile(times, 0.99), 0, bytes);
    }

    private async Task<(double Ms, long Bytes)> FetchOnceAsync(bool gzip, string path = "apps/")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (gzip) request.Headers.AcceptEncoding.ParseAdd("gzip");
        var watch = Stopwatch.StartNew();
        using var r = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        var body = await r.Content.ReadAsByteArrayAsync();
        watch.Stop();
        return (watch.Elapsed.TotalMilliseconds, body.Length);
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
