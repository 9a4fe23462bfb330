using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Api;

/// <summary>
/// Opens a WebSocket to a node agent with the apiserver's credential, for the streaming subresources. An agent that
/// cannot be reached, or does not finish the handshake within <c>ApiServer:Kubelet:ResponseTimeout</c>, is a 502, as
/// for <c>pods/log</c>; the agent's own refusals keep their meaning (404: the pod does not run there).
/// </summary>
internal sealed class NodeAgentTunnel(KubeletClientCredential credential, IOptions<KubeletClientOptions> options) : IDisposable
{
    // Not the factory's "kubelet" client: its handler chain is for request/response calls; a WebSocket needs the bare socket handler.
    private readonly HttpMessageInvoker _http = new(new SocketsHttpHandler
    {
        ConnectTimeout = options.Value.ConnectTimeout,
        UseProxy = false,
        AllowAutoRedirect = false,
    });

    public async Task<WebSocket> ConnectAsync(string nodeName, Uri url, string subProtocol, CancellationToken ct)
    {
        var token = await credential.TokenAsync(ct);
        var ws = new ClientWebSocket();
        ws.Options.AddSubProtocol(subProtocol);
        ws.Options.SetRequestHeader("Authorization", "Bearer " + token);
        ws.Options.CollectHttpResponseDetails = true;
        ws.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
        ws.Options.KeepAliveTimeout = TimeSpan.FromSeconds(30);
        var timeout = options.Value.ResponseTimeout;
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(ct);
        handshake.CancelAfter(timeout);
        try
        {
            await ws.ConnectAsync(url, _http, handshake.Token);
            if (ws.SubProtocol != subProtocol) throw new WebSocketException($"the agent answered subprotocol \"{ws.SubProtocol}\", not \"{subProtocol}\"");
            return ws;
        }
        catch (WebSocketException ex)
        {
            var status = ws.HttpStatusCode;
            ws.Dispose();
            throw Problem(status, nodeName, url, ex);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            ws.Dispose();
            throw new ApiProblem(502, "BadGateway", $"the node agent of node \"{nodeName}\" at {url.Authority} did not answer within {timeout.TotalSeconds:0.#} s");
        }
        catch
        {
            ws.Dispose();
            throw;
        }
    }

    private ApiProblem Problem(HttpStatusCode status, string nodeName, Uri url, WebSocketException ex)
    {
        var agent = $"the node agent of node \"{nodeName}\"";
        switch ((int)status)
        {
            case 0 or 101:
                return new ApiProblem(502, "BadGateway", $"{agent} at {url.Authority} is unreachable: {(ex.InnerException ?? ex).Message}");
            case 401 or 403:
                credential.Invalidate();
                return new ApiProblem(502, "BadGateway", $"{agent} refused the apiserver's credential ({(int)status})");
            case 404:
                return new ApiProblem(404, "NotFound", $"{agent} runs no container of this pod (not started yet, or stopped)");
            case 429:
                return new ApiProblem(429, "TooManyRequests", $"{agent} has too many streaming sessions open; try again later");
            case >= 500:
                return new ApiProblem(502, "BadGateway", $"{agent} failed ({(int)status})");
            default:
                return new ApiProblem((int)status, status.ToString(), $"{agent} refused the request ({(int)status})");
        }
    }

    public void Dispose() => _http.Dispose();
}
