using System.Net.Sockets;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Runtime;

namespace Platform.NodeAgent.Probes;

/// <summary>One attempt of an exec, httpGet or tcpSocket probe; the answer is success or a reason for failure.</summary>
internal sealed class Prober(ContainerRuntime runtime, IHttpClientFactory httpFactory)
{
    public const string HttpClientName = "probes";

    public async Task<string?> RunAsync(Probe probe, ProbeTarget target, CancellationToken ct)
    {
        var timeout = TimeSpan.FromSeconds(Math.Max(1, probe.TimeoutSeconds ?? 1));
        if (probe.Exec is { Command: { Count: > 0 } command })
        {
            var code = await runtime.ExecAsync(target.ContainerId, command, timeout, ct);
            return code switch { 0 => null, null => $"command timed out after {timeout.TotalSeconds:0}s", _ => $"command exited with {code}" };
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        if (probe.HttpGet is { } get)
        {
            var port = target.ResolvePort(get.Port);
            if (port is null) return $"port {get.Port} is not a port of the pod";
            var scheme = string.Equals(get.Scheme, "HTTPS", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
            var path = string.IsNullOrEmpty(get.Path) ? "/" : get.Path.StartsWith('/') ? get.Path : "/" + get.Path;
            var url = new Uri($"{scheme}://{get.Host ?? target.Address}:{port}{path}");
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.UserAgent.ParseAdd("platform-probe/1.0");
            foreach (var h in get.HttpHeaders ?? []) if (h.Name is { } n) request.Headers.TryAddWithoutValidation(n, h.Value);
            try
            {
                using var response = await httpFactory.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
                var code = (int)response.StatusCode;
                return code is >= 200 and < 400 ? null : $"HTTP probe failed with statuscode: {code}";
            }
            // A refused or reset connection is a failed probe whether or not the worker is stopping; only a cancellation
            // that the caller asked for ends the attempt with an exception.
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
            {
                return $"Get \"{url}\": {(ex is OperationCanceledException ? "timeout" : ex.Message)}";
            }
        }
        if (probe.TcpSocket is { } tcp)
        {
            var port = target.ResolvePort(tcp.Port);
            if (port is null) return $"port {tcp.Port} is not a port of the pod";
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(tcp.Host ?? target.Address, port.Value, cts.Token);
                return null;
            }
            catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
            {
                return $"dial tcp {tcp.Host ?? target.Address}:{port}: {(ex is OperationCanceledException ? "timeout" : ex.Message)}";
            }
        }
        return "the probe has no exec, httpGet or tcpSocket action";
    }
}
