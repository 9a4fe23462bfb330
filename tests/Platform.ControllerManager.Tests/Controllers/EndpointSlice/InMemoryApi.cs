using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Platform.ControllerManager.Tests.Controllers.EndpointSlice;

/// <summary>
/// An apiserver in memory for the writes of the EndpointSlice controller and the garbage collector: objects by path,
/// create (409 when the name is taken), replace (409 on a stale resourceVersion), delete and get. Every write is
/// reported to <see cref="Written"/>, which the tests use to feed the informers as the apiserver's events would.
/// </summary>
internal sealed class InMemoryApi : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, JsonObject> _objects = new();
    private readonly ConcurrentQueue<(string Verb, string Path)> _writes = new();
    private readonly Lock _lock = new();
    private long _version = 1000;

    /// <summary>Called after each successful write with the verb and the stored object (the last state for a delete).</summary>
    public Action<string, JsonObject>? Written { get; set; }

    public IReadOnlyList<(string Verb, string Path)> Writes => [.. _writes];

    public int WritesTo(string plural) => _writes.Count(w => w.Path.Contains("/" + plural + "/", StringComparison.Ordinal) || w.Path.EndsWith("/" + plural, StringComparison.Ordinal));

    public JsonObject? Get(string path) => _objects.TryGetValue(path, out var o) ? (JsonObject)o.DeepClone() : null;

    public IEnumerable<JsonObject> Under(string collection) =>
        _objects.Where(kv => kv.Key.StartsWith(collection + "/", StringComparison.Ordinal)).Select(kv => (JsonObject)kv.Value.DeepClone());

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var body = request.Content is null ? null : JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
        (HttpStatusCode Status, JsonObject? Result, string? Verb) answer;
        lock (_lock) answer = Handle(request.Method, path, body);
        if (answer.Verb is { } verb)
        {
            _writes.Enqueue((verb, path));
            Written?.Invoke(verb, (JsonObject)answer.Result!.DeepClone());
        }
        return new HttpResponseMessage(answer.Status)
        {
            Content = new StringContent((answer.Result ?? new JsonObject { ["kind"] = "Status", ["code"] = (int)answer.Status }).ToJsonString(), Encoding.UTF8, "application/json"),
        };
    }

    private (HttpStatusCode, JsonObject?, string?) Handle(HttpMethod method, string path, JsonObject? body)
    {
        if (method == HttpMethod.Get) return _objects.TryGetValue(path, out var found) ? (HttpStatusCode.OK, found, null) : (HttpStatusCode.NotFound, null, null);
        if (method == HttpMethod.Post)
        {
            var name = (string)body!["metadata"]!["name"]!;
            var target = $"{path}/{name}";
            if (_objects.ContainsKey(target)) return (HttpStatusCode.Conflict, null, null);
            body["metadata"]!["uid"] = Guid.NewGuid().ToString();
            return Store(target, body, HttpStatusCode.Created, "create");
        }
        if (!_objects.TryGetValue(path, out var current)) return (HttpStatusCode.NotFound, null, null);
        if (method == HttpMethod.Delete)
        {
            _objects.TryRemove(path, out _);
            current["metadata"]!["resourceVersion"] = Next();
            return (HttpStatusCode.OK, current, "delete");
        }
        if (method == HttpMethod.Put)
        {
            if ((string?)body!["metadata"]!["resourceVersion"] is { } rv && rv != (string?)current["metadata"]!["resourceVersion"]) return (HttpStatusCode.Conflict, null, null);
            body["metadata"]!["uid"] = current["metadata"]!["uid"]!.DeepClone();
            return Store(path, body, HttpStatusCode.OK, "update");
        }
        return (HttpStatusCode.OK, current, null);
    }

    private (HttpStatusCode, JsonObject?, string?) Store(string path, JsonObject body, HttpStatusCode status, string verb)
    {
        body["metadata"]!["resourceVersion"] = Next();
        _objects[path] = body;
        return (status, body, verb);
    }

    private string Next() => Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);
}
