namespace Platform.Testing.Fuzz;

/// <summary>
/// Sends a <see cref="FuzzRequest"/> exactly as generated: through <see cref="HttpClient"/> with the target left
/// un-normalized, or over a bare socket when it holds what <see cref="HttpClient"/> refuses (CR/LF in a header, a
/// space in the target, CONNECT). Also how a regression test replays the request a suite once failed on.
/// </summary>
public sealed class FuzzClient(Uri baseAddress, IReadOnlyList<KeyValuePair<string, string>>? defaultHeaders = null) : IDisposable
{
    private const int MaxBodyChars = 256 * 1024;

    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        BaseAddress = baseAddress,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly IReadOnlyList<KeyValuePair<string, string>> _defaults = defaultHeaders ?? [];

    public Task<FuzzResponse> SendAsync(FuzzRequest request, CancellationToken ct) =>
        RawHttp.Needed(request) ? RawHttp.SendAsync(baseAddress, request, _defaults, ct) : SendWithHttpClientAsync(request, ct);

    private async Task<FuzzResponse> SendWithHttpClientAsync(FuzzRequest request, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method),
            new Uri(baseAddress.GetLeftPart(UriPartial.Authority) + request.Target, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
        if (request.Body is not null || request.ContentType is not null)
        {
            message.Content = new ByteArrayContent(request.Body ?? []);
            if (request.ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }
        foreach (var (k, v) in _defaults.Concat(request.Headers))
        {
            if (!message.Headers.TryAddWithoutValidation(k, v)) message.Content?.Headers.TryAddWithoutValidation(k, v);
        }
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream);
        var buffer = new char[MaxBodyChars];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await reader.ReadAsync(buffer.AsMemory(read), ct)) > 0) read += n;
        return new FuzzResponse((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), new string(buffer, 0, read), ViaRawSocket: false);
    }

    public void Dispose() => _http.Dispose();
}
