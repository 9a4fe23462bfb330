using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Platform.Bench.Chaos;

/// <summary>An acknowledged write: sent at <c>Sent</c>, answered 201 with this resourceVersion at <c>At</c>.</summary>
internal sealed record Ack(string Name, long ResourceVersion, TimeSpan Sent, TimeSpan At, int Phase);

/// <summary>
/// Steady write load: <c>writers</c> loops each creating ConfigMaps in one namespace as fast as the apiserver
/// answers, paced to about <c>perSecond</c> in total. Only a 201 is an acknowledgement; a refused connection, a 5xx or
/// a timeout is an error the client would retry, and is never counted as committed.
/// </summary>
internal sealed class WriteLoad(HttpClient api, string ns, Phases phases, int writers = 2, int perSecond = 20)
{
    private readonly ConcurrentQueue<Ack> _acks = new();
    private readonly ConcurrentDictionary<int, int> _errorsByPhase = new();
    private int _next;

    public IReadOnlyCollection<Ack> Acks => _acks;
    public Ack? Last { get; private set; }

    public int ErrorsIn(int phase) => _errorsByPhase.GetValueOrDefault(phase);

    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, writers).Select(_ => WriterAsync(stop)));

    private async Task WriterAsync(CancellationToken stop)
    {
        var pause = TimeSpan.FromSeconds(writers / (double)perSecond);
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            var name = $"w-{Interlocked.Increment(ref _next):D6}";
            var phase = phases.Current;
            var sent = phases.Elapsed;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                var body = new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "ConfigMap",
                    ["metadata"] = new JsonObject { ["name"] = name },
                    ["data"] = new JsonObject { ["written"] = DateTimeOffset.UtcNow.ToString("O") },
                };
                using var response = await api.PostAsJsonAsync($"api/v1/namespaces/{ns}/configmaps", body, timeout.Token);
                if (response.StatusCode == System.Net.HttpStatusCode.Created)
                {
                    var created = await response.Content.ReadFromJsonAsync<JsonObject>(timeout.Token);
                    var rv = long.Parse((string)created!["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture);
                    var ack = new Ack(name, rv, sent, phases.Elapsed, phase);
                    _acks.Enqueue(ack);
                    Last = ack;
                }
                else
                {
                    _errorsByPhase.AddOrUpdate(phase, 1, (_, n) => n + 1);
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                if (stop.IsCancellationRequested) return;
                _errorsByPhase.AddOrUpdate(phase, 1, (_, n) => n + 1);
            }
            var left = pause - Stopwatch.GetElapsedTime(started);
            if (left > TimeSpan.Zero)
            {
                try { await Task.Delay(left, stop); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
