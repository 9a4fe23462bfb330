using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Api;

/// <summary>
/// Calls a node agent with the apiserver's credential: <c>/containerLogs</c>, whose answer is copied to the client as
/// it arrives, and the upgrades of <c>/exec</c> and <c>/attach</c> (<see cref="KubeletStreamProxy"/>). An agent that cannot
/// be reached, or does not answer within <c>ApiServer:Kubelet:ResponseTimeout</c>, is a 502: a request never hangs on a dead node.
/// </summary>
internal sealed partial class KubeletProxy(IHttpClientFactory http, KubeletClientCredential credential, IOptions<KubeletClientOptions> options, ILogger<KubeletProxy> log)
{
    public const string HttpClientName = "kubelet";
    private readonly TimeSpan _responseTimeout = options.Value.ResponseTimeout;

    public async Task StreamAsync(HttpContext ctx, string nodeName, Uri url, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = await SendAsync(request, nodeName, ct);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        await ctx.Response.StartAsync(ct);
        await CopyAsync(response, ctx.Response.Body, nodeName, ct);
    }

    /// <summary>
    /// Sends <paramref name="request"/> with the apiserver's credential and returns the agent's answer once its headers
    /// are in: a success, or a <c>101 Switching Protocols</c> whose content is the upgraded connection. Anything else,
    /// and an agent that is unreachable or silent for the response timeout, is an <see cref="ApiProblem"/>.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string nodeName, CancellationToken ct)
    {
        var url = request.RequestUri!;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await credential.TokenAsync(ct));
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(ct);
        headers.CancelAfter(_responseTimeout);
        HttpResponseMessage response;
        try
        {
            response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
        }
        catch (HttpRequestException ex)
        {
            throw new ApiProblem(502, "BadGateway", $"the node agent of node \"{nodeName}\" at {url.Authority} is unreachable: {ex.Message}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ApiProblem(502, "BadGateway", $"the node agent of node \"{nodeName}\" at {url.Authority} did not answer within {_responseTimeout.TotalSeconds:0.#} s");
        }
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.SwitchingProtocols) return response;
        using (response) throw await AgentProblemAsync(response, nodeName, ct);
    }

    private async Task CopyAsync(HttpResponseMessage response, Stream output, string nodeName, CancellationToken ct)
    {
        try
        {
            await using var input = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[64 * 1024];
            // Chunks already received are batched into one write; what is held is flushed before waiting for more,
            // so a follow shows each line at once and a large log is not a flush per line.
            var filled = 0;
            while (true)
            {
                var pending = input.ReadAsync(buffer.AsMemory(filled), ct);
                var flushed = false;
                if (!pending.IsCompleted && filled > 0)
                {
                    await output.WriteAsync(buffer.AsMemory(0, filled), ct);
                    await output.FlushAsync(ct);
                    flushed = true;
                }
                var read = await pending;
                if (flushed)
                {
                    buffer.AsSpan(filled, read).CopyTo(buffer);
                    filled = 0;
                }
                filled += read;
                if (read == 0 || filled == buffer.Length)
                {
                    if (filled > 0) await output.WriteAsync(buffer.AsMemory(0, filled), ct);
                    await output.FlushAsync(ct);
                    filled = 0;
                    if (read == 0) return;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away (Ctrl+C on a follow): disposing the response closes the agent's stream too.
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // The status line is sent; all that is left is to end the stream early.
            StreamBroken(nodeName, ex.Message);
        }
    }

    private async Task<ApiProblem> AgentProblemAsync(HttpResponseMessage response, string nodeName, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonObject? problem = null;
        try { problem = JsonNode.Parse(text) as JsonObject; }
        catch (System.Text.Json.JsonException) { }
        var detail = (string?)problem?["detail"] ?? (text.Length > 200 ? text[..200] : text);
        var status = (int)response.StatusCode;
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            credential.Invalidate();
            return new ApiProblem(502, "BadGateway", $"the node agent of node \"{nodeName}\" refused the apiserver's credential ({status}): {detail}");
        }
        if (status >= 500) return new ApiProblem(502, "BadGateway", $"the node agent of node \"{nodeName}\" failed ({status}): {detail}");
        return new ApiProblem(status, (string?)problem?["reason"] ?? (string?)problem?["title"] ?? response.StatusCode.ToString(), detail);
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "log stream from node {Node} ended early: {Error}")]
    private partial void StreamBroken(string node, string error);
}
