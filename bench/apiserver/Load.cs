using System.Diagnostics;
using System.Text;

namespace Platform.ApiServer.Bench;

/// <summary>
/// Open-loop load: requests start on a fixed schedule whatever the latency of earlier ones (so a slow server
/// shows up as latency, not as a lower offered rate), bounded by count, time and in-flight requests.
/// </summary>
internal static class Load
{
    private const int MaxInFlight = 256;

    public static async Task<(List<double> LatenciesMs, int Errors, double SecondsTaken)> RunAsync(
        HttpClient http, int ratePerSecond, TimeSpan duration, Func<int, HttpRequestMessage> request,
        List<(DateTime Start, double Ms)>? timeline = null)
    {
        var total = (int)(ratePerSecond * duration.TotalSeconds);
        var latencies = new List<double>(total);
        var errors = 0;
        using var gate = new SemaphoreSlim(MaxInFlight);
        var clock = Stopwatch.StartNew();
        var tasks = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / ratePerSecond);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
            if (clock.Elapsed > duration * 3) break;
            await gate.WaitAsync();
            var n = i;
            tasks.Add(Task.Run(async () =>
            {
                var started = Stopwatch.GetTimestamp();
                var startedAt = DateTime.UtcNow;
                try
                {
                    using var msg = request(n);
                    using var r = await http.SendAsync(msg);
                    var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    lock (latencies)
                    {
                        if (r.IsSuccessStatusCode) latencies.Add(ms);
                        else errors++;
                        timeline?.Add((startedAt, ms));
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        await Task.WhenAll(tasks);
        latencies.Sort();
        return (latencies, errors, clock.Elapsed.TotalSeconds);
    }

    public static StringContent Pod(string name, int i) => new(
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"bench\",\"shard\":\"s" + (i % 10) +
        "\"}},\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"nginx:1.25\",\"resources\":{\"requests\":{\"cpu\":\"10m\",\"memory\":\"16Mi\"}}}]}}",
        Encoding.UTF8, "application/json");
}
