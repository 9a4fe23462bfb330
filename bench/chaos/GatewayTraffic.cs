using System.Collections.Concurrent;

namespace Platform.Bench.Chaos;

/// <summary>
/// Idempotent GETs through the gateway to the hello route, <c>connections</c> loops on keep-alive connections,
/// tallied per phase: 2xx, other statuses, and socket errors (refused, reset, timed out).
/// </summary>
internal sealed class GatewayTraffic(Uri url, Phases phases, int connections = 2)
{
    private readonly ConcurrentDictionary<int, (int Ok, int Non2xx, int SocketErrors)> _byPhase = new();

    public TimeSpan LastOk { get; private set; } = TimeSpan.MinValue;

    public (int Ok, int Non2xx, int SocketErrors) In(int phase) => _byPhase.GetValueOrDefault(phase);

    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, connections).Select(_ => LoopAsync(stop)));

    private async Task LoopAsync(CancellationToken stop)
    {
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) }) { Timeout = TimeSpan.FromSeconds(5) };
        while (!stop.IsCancellationRequested)
        {
            var phase = phases.Current;
            var sent = phases.Elapsed;
            try
            {
                using var response = await http.GetAsync(url, stop);
                await response.Content.ReadAsByteArrayAsync(stop);
                if (response.IsSuccessStatusCode)
                {
                    Tally(phase, ok: 1);
                    if (sent > LastOk) LastOk = sent;
                }
                else
                {
                    Tally(phase, non2xx: 1);
                    await Task.Delay(50, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                Tally(phase, socket: 1);
                try { await Task.Delay(50, stop); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private void Tally(int phase, int ok = 0, int non2xx = 0, int socket = 0) =>
        _byPhase.AddOrUpdate(phase, (ok, non2xx, socket), (_, t) => (t.Ok + ok, t.Non2xx + non2xx, t.SocketErrors + socket));
}
