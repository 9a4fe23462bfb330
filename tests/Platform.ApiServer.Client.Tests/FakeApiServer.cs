using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Client.Tests;

/// <summary>
/// An apiserver in memory, as far as the kit reads one: lists of pods at a resourceVersion, one pod by name, a watch that can be told
/// to answer 410 once, and a log of every request. Responses can be scripted per call for the failure cases.
/// </summary>
internal sealed class FakeApiServer : HttpMessageHandler
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Pod> _pods = [];
    private long _version;

    public ConcurrentQueue<(string Method, string PathAndQuery, string Body)> Requests { get; } = new();

    /// <summary>The Accept header of every request, in order.</summary>
    public ConcurrentQueue<string> Accepts { get; } = new();

    /// <summary>Answers to send before the normal ones, first in first out.</summary>
    public ConcurrentQueue<Func<HttpResponseMessage>> Scripted { get; } = new();

    /// <summary>The watch answers 410 Gone this many more times.</summary>
    public int ExpireWatches;

    /// <summary>Changes the watch streams, written by the test.</summary>
    public BlockingCollection<string> WatchLines { get; } = [];

    public int Lists => Requests.Count(r => r.Method == "GET" && !r.PathAndQuery.Contains("watch=true", StringComparison.Ordinal));

    public long Version
    {
        get { lock (_lock) return _version; }
    }

    /// <summary>Stores a pod at the next resourceVersion and returns that version of it.</summary>
    public Pod Put(string name, string? node = null, Dictionary<string, string>? labels = null)
    {
        lock (_lock)
        {
            var pod = new Pod
            {
                ApiVersion = "v1", Kind = "Pod",
                Metadata = new ObjectMeta { Name = name, Namespace = "default", Uid = "uid-" + name, ResourceVersion = (++_version).ToString(), Labels = labels },
                Spec = new PodSpec { NodeName = node, Containers = [new Container { Name = "main", Image = "busybox" }] },
            };
            _pods[name] = pod;
            return pod;
        }
    }

    /// <summary>Deletes a pod; returns its final state at the deletion's resourceVersion.</summary>
    public Pod Delete(string name)
    {
        lock (_lock)
        {
            _pods.Remove(name, out var pod);
            return pod! with { Metadata = pod.Metadata with { ResourceVersion = (++_version).ToString() } };
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(ct);
        var target = request.RequestUri!.PathAndQuery;
        Requests.Enqueue((request.Method.Method, target, body));
        Accepts.Enqueue(request.Headers.TryGetValues("Accept", out var accept) ? string.Join(",", accept) : "");
        if (Scripted.TryDequeue(out var scripted)) return scripted();
        if (request.Method == HttpMethod.Get && target.Contains("watch=true", StringComparison.Ordinal))
        {
            if (Interlocked.Decrement(ref ExpireWatches) >= 0)
                return Json(HttpStatusCode.Gone, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Expired","message":"too old resource version","code":410}""");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new WatchStream(WatchLines, ct)) };
        }
        if (request.Method == HttpMethod.Get && target.StartsWith(ObjectPrefix, StringComparison.Ordinal))
        {
            lock (_lock)
            {
                return _pods.TryGetValue(target[ObjectPrefix.Length..], out var pod)
                    ? Json(HttpStatusCode.OK, JsonSerializer.Serialize(pod, ResourceJson.Options))
                    : Json(HttpStatusCode.NotFound, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""");
            }
        }
        if (request.Method == HttpMethod.Get && (target.StartsWith("/api/v1/pods", StringComparison.Ordinal) || target.StartsWith("/api/v1/namespaces/default/pods", StringComparison.Ordinal)))
        {
            lock (_lock)
            {
                var list = new JsonObject
                {
                    ["kind"] = "PodList", ["apiVersion"] = "v1",
                    ["metadata"] = new JsonObject { ["resourceVersion"] = _version.ToString() },
                    ["items"] = JsonSerializer.SerializeToNode(_pods.Values.ToList(), ResourceJson.Options),
                };
                return Json(HttpStatusCode.OK, list.ToJsonString());
            }
        }
        return Json(HttpStatusCode.Created, body.Length > 0 ? body : "{}");
    }

    private const string ObjectPrefix = "/api/v1/namespaces/default/pods/";

    public static string WatchLine(string type, Pod pod) =>
        new JsonObject { ["type"] = type, ["object"] = JsonSerializer.SerializeToNode(pod, ResourceJson.Options) }.ToJsonString();

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>A response body that yields each line the test adds, until the request is cancelled.</summary>
    private sealed class WatchStream(BlockingCollection<string> lines, CancellationToken ct) : Stream
    {
        private byte[] _pending = [];
        private int _at;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_at >= _pending.Length)
            {
                using var both = CancellationTokenSource.CreateLinkedTokenSource(ct, cancellationToken);
                string line;
                try
                {
                    line = await Task.Run(() => lines.Take(both.Token), both.Token);
                }
                catch (OperationCanceledException)
                {
                    return 0;
                }
                _pending = Encoding.UTF8.GetBytes(line + "\n");
                _at = 0;
            }
            var n = Math.Min(buffer.Length, _pending.Length - _at);
            _pending.AsMemory(_at, n).CopyTo(buffer);
            _at += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
