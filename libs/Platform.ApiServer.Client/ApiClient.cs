using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Polly;
using Polly.Retry;

namespace Platform.ApiServer.Client;

/// <summary>
/// The one typed client every component (controllers, scheduler, node agents, the gateway, the config server,
/// platformctl) uses for the apiserver, through an <see cref="HttpClient"/> whose base address is the apiserver and
/// whose bearer token carries the caller's role.
/// <para>
/// Refusals become <see cref="ApiException"/> with the Status reason. Reads (and watch starts) are retried with
/// exponential back-off and jitter on network errors, 429 and 5xx; writes are retried only when the request cannot
/// have reached the server (connection refused) or the server asked to be called again (429, 503), so a create is
/// never sent twice after it might have landed.
/// </para>
/// </summary>
public sealed partial class ApiClient
{
    private const int MaxErrorBody = 64 * 1024;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _reads;
    private readonly ResiliencePipeline<HttpResponseMessage> _writes;

    public ApiClient(HttpClient http) : this(http, new ApiClientOptions(), TimeProvider.System)
    {
    }

    public ApiClient(HttpClient http, ApiClientOptions options, TimeProvider time)
    {
        _http = http;
        _reads = Pipeline(options, time, write: false);
        _writes = Pipeline(options, time, write: true);
    }

    public static string PodPath(string ns, string name) => $"/api/v1/namespaces/{ns}/pods/{name}";

    /// <summary>
    /// The Accept of client-go's metadata client: lists answer <c>PartialObjectMetadataList</c>, objects and watch
    /// events <c>PartialObjectMetadata</c> (only their metadata), falling back to JSON for a server without it.
    /// </summary>
    public const string MetadataListAccept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

    /// <inheritdoc cref="MetadataListAccept"/>
    public const string MetadataAccept = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";

    /// <summary>The object, or null when it does not exist (404); <paramref name="accept"/> overrides the Accept header.</summary>
    public async Task<T?> GetAsync<T>(string path, CancellationToken ct, string? accept = null) where T : class
    {
        using var r = await SendAsync(HttpMethod.Get, path, null, null, ct, accept);
        if (r.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureAsync(r, "GET", path, ct);
        return await ReadAsync<T>(r, ct);
    }

    /// <summary>The items of a list and the resourceVersion the list is consistent with.</summary>
    public async Task<(List<T> Items, long ResourceVersion)> ListAsync<T>(string path, CancellationToken ct, string? accept = null)
    {
        using var r = await SendAsync(HttpMethod.Get, path, null, null, ct, accept);
        await EnsureAsync(r, "GET", path, ct);
        var list = await ReadAsync<ListResponse<T>>(r, ct);
        var rv = list.Metadata?.ResourceVersion;
        return (list.Items ?? [], long.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0);
    }

    /// <summary>Creates; false when the object already exists (409).</summary>
    public async Task<bool> CreateAsync(string path, object body, CancellationToken ct)
    {
        using var r = await SendAsync(HttpMethod.Post, path, () => JsonBody(body), null, ct);
        if (r.StatusCode == HttpStatusCode.Conflict) return false;
        await EnsureAsync(r, "POST", path, ct);
        return true;
    }

    /// <summary>Creates and returns the stored object.</summary>
    public async Task<T> CreateReturningAsync<T>(string path, T body, CancellationToken ct) where T : class
    {
        using var r = await SendAsync(HttpMethod.Post, path, () => JsonBody(body), null, ct);
        await EnsureAsync(r, "POST", path, ct);
        return await ReadAsync<T>(r, ct);
    }

    /// <summary>
    /// Replaces (PUT) and returns the stored object; null when it is gone (404). A stale <c>metadata.resourceVersion</c>
    /// throws an <see cref="ApiException"/> whose status code is 409 Conflict.
    /// </summary>
    public async Task<T?> ReplaceAsync<T>(string path, T body, CancellationToken ct) where T : class
    {
        using var r = await SendAsync(HttpMethod.Put, path, () => JsonBody(body), null, ct);
        if (r.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureAsync(r, "PUT", path, ct);
        return await ReadAsync<T>(r, ct);
    }

    /// <summary>A JSON merge patch; false when the object is gone (404).</summary>
    public async Task<bool> MergePatchAsync(string path, JsonNode patch, CancellationToken ct)
    {
        var text = patch.ToJsonString(ResourceJson.Options);
        using var r = await SendAsync(HttpMethod.Patch, path, () =>
        {
            var content = new StringContent(text, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
            return content;
        }, null, ct);
        if (r.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureAsync(r, "PATCH", path, ct);
        return true;
    }

    /// <summary>Deletes with a propagation policy; false when already gone.</summary>
    public async Task<bool> DeleteAsync(string path, string propagationPolicy, CancellationToken ct)
    {
        var target = $"{path}?propagationPolicy={propagationPolicy}";
        using var r = await SendAsync(HttpMethod.Delete, target, null, null, ct);
        if (r.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureAsync(r, "DELETE", path, ct);
        return true;
    }

    /// <summary>Binds a pod to a node (<c>pods/binding</c>), as kube-scheduler does.</summary>
    public async Task<BindOutcome> BindAsync(string ns, string name, string node, CancellationToken ct)
    {
        var binding = new Binding
        {
            ApiVersion = "v1", Kind = "Binding",
            Metadata = new ObjectMeta { Name = name, Namespace = ns },
            Target = new ObjectReference { ApiVersion = "v1", Kind = "Node", Name = node },
        };
        var path = $"{PodPath(ns, name)}/binding";
        using var r = await SendAsync(HttpMethod.Post, path, () => JsonBody(binding), null, ct);
        if (r.StatusCode == HttpStatusCode.Conflict) return BindOutcome.AlreadyBound;
        if (r.StatusCode == HttpStatusCode.NotFound) return BindOutcome.NotFound;
        await EnsureAsync(r, "POST", path, ct);
        return BindOutcome.Bound;
    }

    /// <summary>
    /// A <c>?watch=true</c> stream from <paramref name="resourceVersion"/> (exclusive): one event per change until the
    /// server ends the stream or <paramref name="ct"/> is cancelled. A resourceVersion the server has compacted away
    /// throws an <see cref="ApiException"/> with <see cref="ApiException.IsExpired"/>: list again.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string path, long resourceVersion, [EnumeratorCancellation] CancellationToken ct, string? accept = null)
    {
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var target = $"{path}{separator}watch=true&resourceVersion={resourceVersion.ToString(CultureInfo.InvariantCulture)}&allowWatchBookmarks=true";
        using var r = await SendAsync(HttpMethod.Get, target, null, HttpCompletionOption.ResponseHeadersRead, ct, accept);
        await EnsureAsync(r, "GET", target, ct);
        await using var stream = await r.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0) continue;
            var e = JsonSerializer.Deserialize<WatchLine>(line, ResourceJson.Options)
                ?? throw new FormatException($"watch {path}: an empty event");
            if (e.Type is null || e.Object is not { ValueKind: JsonValueKind.Object } obj) throw new FormatException($"watch {path}: an event without type or object");
            if (e.Type == "ERROR")
            {
                // The object is a v1 Status: 410 means the server can no longer follow from here.
                var code = obj.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : 500;
                throw ApiException.From("GET", target, (HttpStatusCode)code, obj.GetRawText());
            }
            yield return new WatchEvent<T>(e.Type, obj.Deserialize<T>(ResourceJson.Options)
                ?? throw new FormatException($"watch {path}: a null object"));
        }
    }

    /// <summary>
    /// Any call, for clients that handle objects as JSON whatever their kind (platformctl, as client-go's dynamic
    /// client): the answer's object (empty when the answer has none) with the server's <c>Warning</c> headers and
    /// its response headers.
    /// </summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct, string contentType = "application/json")
    {
        var text = body?.ToJsonString();
        using var r = await SendAsync(method, path, text is null ? null : () =>
        {
            var content = new StringContent(text, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            return content;
        }, null, ct);
        await EnsureAsync(r, method.Method, path, ct);
        var answer = await r.Content.ReadAsStringAsync(ct);
        var obj = answer.Length == 0 ? [] : JsonNode.Parse(answer, documentOptions: new JsonDocumentOptions { MaxDepth = 128 }) as JsonObject ?? [];
        var warnings = r.Headers.TryGetValues("Warning", out var values) ? values.Select(Warnings.Unquote).ToList() : [];
        return new ApiResponse(obj, warnings, r.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The lines of a <c>?watch=true</c> stream as JSON objects (<c>{"type", "object"}</c>), for JSON clients.</summary>
    public async IAsyncEnumerable<JsonObject> WatchJsonAsync(string path, [EnumeratorCancellation] CancellationToken ct)
    {
        using var r = await SendAsync(HttpMethod.Get, path, null, HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureAsync(r, "GET", path, ct);
        using var reader = new StreamReader(await r.Content.ReadAsStreamAsync(ct), Encoding.UTF8);
        while (await reader.ReadLineAsync(ct) is { } line)
            if (line.Length > 0 && JsonNode.Parse(line) is JsonObject e) yield return e;
    }

    /// <summary>Copies a text answer (pod logs) to <paramref name="output"/> chunk by chunk, flushing each, until the server ends it.</summary>
    public async Task CopyTextAsync(string path, TextWriter output, CancellationToken ct)
    {
        using var r = await SendAsync(HttpMethod.Get, path, null, HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureAsync(r, "GET", path, ct);
        using var reader = new StreamReader(await r.Content.ReadAsStreamAsync(ct), Encoding.UTF8);
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer, ct)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), ct);
            await output.FlushAsync(ct);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Func<HttpContent>? content, HttpCompletionOption? completion, CancellationToken ct, string? accept = null)
    {
        var pipeline = method == HttpMethod.Get ? _reads : _writes;
        return await pipeline.ExecuteAsync(async token =>
        {
            using var request = new HttpRequestMessage(method, path) { Content = content?.Invoke() };
            if (accept is not null)
            {
                request.Headers.Accept.Clear();
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }
            return await _http.SendAsync(request, completion ?? HttpCompletionOption.ResponseContentRead, token);
        }, ct);
    }

    private static ResiliencePipeline<HttpResponseMessage> Pipeline(ApiClientOptions o, TimeProvider time, bool write)
    {
        if (o.MaxRetries < 1) return ResiliencePipeline<HttpResponseMessage>.Empty;
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = o.MaxRetries,
                Delay = o.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(write ? RetryWrite(args.Outcome) : RetryRead(args.Outcome)),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            })
            .Build();
    }

    private static bool RetryRead(Outcome<HttpResponseMessage> o) =>
        o.Exception is HttpRequestException ||
        o.Result is { StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout };

    private static bool RetryWrite(Outcome<HttpResponseMessage> o) =>
        o.Exception is HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } ||
        o.Result is { StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable };

    private static StringContent JsonBody(object body) =>
        new(JsonSerializer.Serialize(body, body.GetType(), ResourceJson.Options), Encoding.UTF8, "application/json");

    private static async Task<T> ReadAsync<T>(HttpResponseMessage r, CancellationToken ct)
    {
        await using var stream = await r.Content.ReadAsStreamAsync(ct);
        return await JsonSerializer.DeserializeAsync<T>(stream, ResourceJson.Options, ct)
            ?? throw new FormatException($"{r.RequestMessage?.Method} {r.RequestMessage?.RequestUri?.PathAndQuery}: an empty answer");
    }

    private static async Task EnsureAsync(HttpResponseMessage r, string method, string path, CancellationToken ct)
    {
        if (r.IsSuccessStatusCode) return;
        await using var stream = await r.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[MaxErrorBody];
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), ct) is var n and > 0) read += n;
        throw ApiException.From(method, path, r.StatusCode, Encoding.UTF8.GetString(buffer, 0, read));
    }

    private sealed record ListResponse<T>
    {
        public ListMeta? Metadata { get; init; }
        public List<T>? Items { get; init; }
    }

    private sealed record ListMeta
    {
        public string? ResourceVersion { get; init; }
    }

    private sealed record WatchLine
    {
        public string? Type { get; init; }
        public JsonElement? Object { get; init; }
    }
}

/// <summary>An answer as JSON: the object, the server's warnings (RFC 7234 <c>299</c> texts) and the response headers.</summary>
public sealed record ApiResponse(JsonObject Object, IReadOnlyList<string> Warnings, IReadOnlyDictionary<string, string> Headers);

/// <summary>How <see cref="ApiClient"/> retries.</summary>
public sealed class ApiClientOptions
{
    /// <summary>Retries after the first attempt (0 turns retrying off).</summary>
    public int MaxRetries { get; set; } = 3;
    /// <summary>The first back-off; each next one doubles, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>What a bind came to.</summary>
public enum BindOutcome
{
    Bound,
    /// <summary>409: the pod is already bound (by another scheduler, or an earlier attempt of ours).</summary>
    AlreadyBound,
    /// <summary>404: the pod or the node is gone.</summary>
    NotFound,
    /// <summary>Refused for another reason (403, 422): only from <see cref="ApiClient.BindManyAsync"/>, with the message.</summary>
    Refused,
}
