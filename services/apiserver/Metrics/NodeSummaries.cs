using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Api;
using Platform.ApiServer.Problems;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Metrics;

/// <summary>
/// Reads node agents' usage (<c>GET /stats/summary</c>, with the apiserver's credential through <see cref="KubeletProxy"/>)
/// when the metrics API is asked, and keeps each answer for <c>ApiServer:Metrics:CacheTtl</c>. On request rather than on
/// a timer: the agent already measures the CPU rate over its own sampling window, so one read answers at once (no
/// warm-up of two scrapes), and nothing is scraped while nobody reads metrics. Concurrent askers share one read.
/// </summary>
internal sealed partial class NodeSummaries(KubeletProxy kubelet, IOptions<ResourceMetricsOptions> options, TimeProvider time, ILogger<NodeSummaries> log)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, Task<NodeSummary?> Read)> _cache = new(StringComparer.Ordinal);

    /// <summary>The node's summary, or null when its agent cannot be read (not advertised, unreachable, failing): no metrics for it, as in metrics-server.</summary>
    public Task<NodeSummary?> GetAsync(Node node, CancellationToken ct)
    {
        var name = node.Metadata.Name!;
        var now = time.GetUtcNow();
        var ttl = options.Value.CacheTtl;
        while (true)
        {
            if (_cache.TryGetValue(name, out var cached) && now - cached.At < ttl && !cached.Read.IsFaulted) return cached.Read;
            // Not tied to one caller's cancellation: other callers may be waiting on the same read.
            // Nodes gone (or no longer asked about) do not stay: entries long past their lifetime are dropped.
            foreach (var stale in _cache.Where(e => now - e.Value.At > ttl + TimeSpan.FromMinutes(1)).Select(e => e.Key).ToList()) _cache.TryRemove(stale, out _);
            var entry = (now, ReadAsync(node, CancellationToken.None));
            if (cached.Read is null ? _cache.TryAdd(name, entry) : _cache.TryUpdate(name, entry, cached)) return entry.Item2.WaitAsync(ct);
        }
    }

    private async Task<NodeSummary?> ReadAsync(Node node, CancellationToken ct)
    {
        var name = node.Metadata.Name!;
        try
        {
            var url = new Uri(PodAgent.AddressOf(node), "/stats/summary");
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = await kubelet.SendAsync(request, name, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            return NodeSummary.Parse(JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not a JSON object"));
        }
        catch (Exception ex) when (ex is ApiProblem or JsonException or HttpRequestException or IOException or FormatException or InvalidOperationException)
        {
            ReadFailed(name, ex.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "no resource metrics from node {Node}: {Error}")]
    private partial void ReadFailed(string node, string error);
}
