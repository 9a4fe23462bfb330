using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.Testing.Cluster;

namespace Platform.Bench.Pods;

/// <summary>
/// This client's clock for each pod: just before its create request, the first watch event that shows it bound to a
/// node, and the first that shows it Ready. Stored times are Kubernetes' whole-second Time, too coarse for this.
/// </summary>
internal sealed class PodLatencies
{
    private readonly ConcurrentDictionary<string, long> _created = new();
    private readonly ConcurrentDictionary<string, long> _bound = new();
    private readonly ConcurrentDictionary<string, long> _ready = new();

    public void Created(string name) => _created[name] = Stopwatch.GetTimestamp();

    public bool AllReady => _created.Keys.All(_ready.ContainsKey);

    public int ReadyCount => _created.Keys.Count(_ready.ContainsKey);

    /// <summary>Follows the namespace's pods on the apiserver's watch stream until cancelled.</summary>
    public Task FollowAsync(HttpClient api, string ns, CancellationToken ct) => Task.Run(async () =>
    {
        try
        {
            using var response = await api.GetAsync($"/api/v1/namespaces/{ns}/pods?watch=true&timeoutSeconds=900",
                HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                var seen = Stopwatch.GetTimestamp();
                var pod = JsonNode.Parse(line)?["object"].Deserialize<Pod>(ResourceJson.Options);
                if (pod?.Metadata.Name is not { } name) continue;
                if (!string.IsNullOrEmpty(pod.Spec.NodeName)) _bound.TryAdd(name, seen);
                if (pod.IsReady()) _ready.TryAdd(name, seen);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }, ct);

    /// <summary>Prints p50/p90/p99/max of create→bound, bound→Ready and create→Ready; returns create→Ready's p99 in ms.</summary>
    public double Print(string heading)
    {
        Console.WriteLine(heading);
        var names = _created.Keys.Where(_ready.ContainsKey).ToList();
        double[] Span(Func<string, long> from, Func<string, long> to) =>
            names.Select(n => Stopwatch.GetElapsedTime(from(n), to(n)).TotalMilliseconds).Order().ToArray();
        var created = Span(n => _created[n], n => _ready[n]);
        Row("create->Ready", created);
        if (names.All(_bound.ContainsKey))
        {
            Row("create->bound", Span(n => _created[n], n => _bound[n]));
            Row("bound->Ready", Span(n => _bound[n], n => _ready[n]));
        }
        return Percentile(created, 0.99);
    }

    private static void Row(string label, double[] sorted) =>
        Console.WriteLine($"  {label,-14} p50 {Percentile(sorted, 0.50),7:0} ms   p90 {Percentile(sorted, 0.90),7:0} ms   p99 {Percentile(sorted, 0.99),7:0} ms   max {sorted[^1],7:0} ms");

    private static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1))];
}
