using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.EventBus.CloudEvents;
using Platform.EventBus.Consuming;
using Platform.Testing;

namespace Platform.ApiServer.Client.Tests;

/// <summary>
/// The informer against an in-memory apiserver, with Kafka deliveries made by the test: duplicates, replays, gaps
/// and restarts are decided here rather than by a broker's timing.
/// </summary>
public sealed partial class InformerTests : IDisposable
{
    private const string Topic = "platform.pods";
    private readonly FakeApiServer _server = new();
    private readonly HttpClient _http;
    private readonly ApiClient _api;
    private readonly CancellationTokenSource _stop = new();

    public InformerTests()
    {
        _http = new HttpClient(_server) { BaseAddress = new Uri("http://apiserver.test") };
        _api = new ApiClient(_http, new ApiClientOptions { RetryDelay = TimeSpan.FromMilliseconds(1) }, TimeProvider.System);
    }

    /// <summary>A factory with the pods informer, started, its first list in, and a handler that records what it saw.</summary>
    private async Task<(SharedInformerFactory Factory, Informer<Pod> Pods, Seen Seen)> StartAsync(Action<InformerOptions>? configure = null)
    {
        var factory = new SharedInformerFactory(_api, TimeProvider.System, NullLoggerFactory.Instance);
        var pods = factory.For<Pod>(ResourceKinds.Pod, configure);
        var seen = new Seen();
        pods.AddEventHandler(seen);
        _ = factory.Start(_stop.Token);
        await factory.WaitForCacheSyncAsync(_stop.Token).WaitAsync(TimeSpan.FromSeconds(10));
        return (factory, pods, seen);
    }

    private static ConsumedEvent Delivery(Pod pod, long offset, bool deleted = false, bool withVersion = true) => new(new PlatformEvent
    {
        Id = Guid.NewGuid().ToString(),
        Source = "/apiserver",
        Type = deleted ? "io.platform.pods.deleted" : "io.platform.pods.updated",
        Key = $"{pod.Metadata.Namespace}/{pod.Metadata.Name}",
        Data = JsonSerializer.SerializeToUtf8Bytes(pod, ResourceJson.Options),
        Extensions = withVersion ? new Dictionary<string, string> { ["resourceversion"] = pod.Metadata.ResourceVersion! } : new Dictionary<string, string>(),
    }, Topic, 0, offset, 1);

    [Fact]
    public async Task An_event_older_than_the_cache_is_ignored()
    {
        var (factory, pods, seen) = await StartAsync();
        var source = new InformerEventSource(factory, "platform.", ["pods"]);
        var v1 = _server.Put("web");
        var v2 = _server.Put("web", node: "node-a");

        await source.HandleAsync(Delivery(v2, 0), default);
        await source.HandleAsync(Delivery(v1, 1), default); // a replay of an older version
        await source.HandleAsync(Delivery(v2, 2), default); // a duplicate

        Assert.Equal("node-a", pods.Get("default", "web")!.Spec.NodeName);
        Assert.Equal(["add web@2"], seen.Log);
    }

    [Fact]
    public async Task A_deletion_is_not_undone_by_a_replayed_older_version()
    {
        var (factory, pods, seen) = await StartAsync();
        var source = new InformerEventSource(factory, "platform.", ["pods"]);
        var created = _server.Put("web");
        var deleted = _server.Delete("web");

        await source.HandleAsync(Delivery(created, 0), default);
        await source.HandleAsync(Delivery(deleted, 1, deleted: true), default);
        await source.HandleAsync(Delivery(created, 2), default);

        Assert.Null(pods.Get("default", "web"));
        Assert.Equal(["add web@1", "delete web@2"], seen.Log);
    }

    [Fact]
    public async Task Deletions_are_remembered_for_the_retention_only()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var factory = new SharedInformerFactory(_api, time, NullLoggerFactory.Instance);
        var pods = factory.For<Pod>(ResourceKinds.Pod, o => o.TombstoneRetention = TimeSpan.FromMinutes(10));
        _ = factory.Start(_stop.Token);
        await Eventually.WaitAsync(() => pods.HasSynced, TimeSpan.FromSeconds(10), "the list");
        var source = new InformerEventSource(factory, "platform.", ["pods"]);
        for (var i = 0; i < 20; i++)
        {
            await source.HandleAsync(Delivery(_server.Put("p" + i), 2 * i), default);
            await source.HandleAsync(Delivery(_server.Delete("p" + i), 2 * i + 1, deleted: true), default);
        }
        Assert.Equal(20, pods.TombstoneCount);
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(20, pods.TombstoneCount);
        time.Advance(TimeSpan.FromMinutes(5));
        await Eventually.WaitAsync(() => pods.TombstoneCount == 0, TimeSpan.FromSeconds(10), "old deletions forgotten");
    }

    [Fact]
    public async Task A_gap_in_kafka_offsets_triggers_a_relist_that_catches_up()
    {
        var (factory, pods, seen) = await StartAsync();
        var source = new InformerEventSource(factory, "platform.", ["pods"]);
        await source.HandleAsync(Delivery(_server.Put("a"), 10), default);
        await source.HandleAsync(Delivery(_server.Put("b"), 11), default);
        Assert.Equal(1, _server.Lists);

        // Offsets 12..14 never arrive (retention took them): "c" was created, "a" deleted meanwhile.
        _server.Put("c");
        _server.Delete("a");
        await source.HandleAsync(Delivery(_server.Put("d"), 15), default);

        await Eventually.WaitAsync(() => _server.Lists == 2 && pods.Get("default", "c") is not null, TimeSpan.FromSeconds(10), "a relist after the gap");
        Assert.Null(pods.Get("default", "a"));
        Assert.Equal(["b", "c", "d"], pods.List().Select(p => p.Metadata.Name!).Order());
        // Handlers hear of the relist's changes after the cache holds them (dispatch runs outside the cache's lock).
        await Eventually.WaitAsync(() => seen.Log.Contains("delete a@1"), TimeSpan.FromSeconds(10), "the relist's deletion of a handed to the handler");
    }

    [Fact]
    public async Task An_event_without_a_resource_version_is_refused_and_relists()
    {
        var (factory, _, _) = await StartAsync();
        var source = new InformerEventSource(factory, "platform.", ["pods"]);
        var ex = await Assert.ThrowsAsync<FormatException>(() => source.HandleAsync(Delivery(_server.Put("a"), 0, withVersion: false), default));
        Assert.Contains("resourceversion", ex.Message, StringComparison.Ordinal);
        await Eventually.WaitAsync(() => _server.Lists == 2, TimeSpan.FromSeconds(10), "a relist");
    }

    [Fact]
    public async Task Malformed_event_data_is_a_format_error_not_a_crash()
    {
        var (factory, pods, _) = await StartAsync();
        var source = new InformerEventSource(factory, "platform.", ["pods"]);
        var bad = Delivery(_server.Put("a"), 0) is var d ? d with { Event = d.Event with { Data = "{\"metadata\":"u8.ToArray() } } : null!;
        await Assert.ThrowsAsync<FormatException>(() => source.HandleAsync(bad, default));
        Assert.Equal(0, pods.Count);
    }

    [Fact]
    public async Task A_restart_resumes_without_missing_or_double_applying_a_change()
    {
        // Before the crash: the first process saw versions 1..3 of "web" and committed offset 1 (the event of v2).
        var v1 = _server.Put("web");
        var v2 = _server.Put("web", node: "n1");
        var v3 = _server.Put("web", node: "n2");
        var other = _server.Put("other");

        // After the restart: a new list (at version 4), then Kafka resumes at the committed offset and replays
        // what the list already covers, then delivers what is new.
        var (factory, pods, seen) = await StartAsync();
        var source = new InformerEventSource(factory, "platform.", ["pods"]);
        await source.HandleAsync(Delivery(v2, 1), default);
        await source.HandleAsync(Delivery(v3, 2), default);
        await source.HandleAsync(Delivery(other, 3), default);
        var v5 = _server.Put("web", node: "n3");
        await source.HandleAsync(Delivery(v5, 4), default);

        Assert.Equal(["add other@4", "add web@3", "update web@3->5"], seen.Log.Order());
        Assert.Equal("n3", pods.Get("default", "web")!.Spec.NodeName);
        _ = v1;
    }

    [Fact]
    public async Task A_watch_that_falls_behind_recovers_by_listing_again()
    {
        _server.Put("a");
        var (_, pods, seen) = await StartAsync(o => { o.Source = InformerSource.Watch; o.RetryDelay = TimeSpan.FromMilliseconds(10); });
        await Eventually.WaitAsync(() => _server.Requests.Any(r => r.PathAndQuery.Contains("watch=true", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the watch");

        // "b" changes while the watch is behind; the server gives up on the stream (ERROR 410), and the next watch
        // from the informer's version is refused as compacted away too: only a new list can catch up.
        var b = _server.Put("b");
        _server.ExpireWatches = 1;
        _server.WatchLines.Add("""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Expired","code":410}}""");
        await Eventually.WaitAsync(() => pods.Get("default", "b") is not null && _server.Lists == 3, TimeSpan.FromSeconds(10), "b from a relist");

        var c = _server.Put("c");
        _server.WatchLines.Add(FakeApiServer.WatchLine("ADDED", c));
        _server.WatchLines.Add(FakeApiServer.WatchLine("MODIFIED", b)); // already had: not seen twice
        _server.WatchLines.Add(FakeApiServer.WatchLine("DELETED", _server.Delete("a")));
        await Eventually.WaitAsync(() => pods.Get("default", "a") is null && pods.Count == 2, TimeSpan.FromSeconds(10), "the watch's changes");
        Assert.Equal(["add a@1", "add b@2", "add c@3", "delete a@4"], seen.Log);
    }

    [Fact]
    public async Task Handlers_see_every_object_exactly_once_per_version()
    {
        var (factory, pods, seen) = await StartAsync();
        var source = new InformerEventSource(factory, "platform.", ["pods"]);
        var random = new Random(1234);
        var history = new List<(Pod Pod, bool Deleted)>();
        var live = new HashSet<string>();
        for (var i = 0; i < 400; i++)
        {
            var name = "p" + random.Next(12);
            if (live.Contains(name) && random.Next(4) == 0)
            {
                history.Add((_server.Delete(name), true));
                live.Remove(name);
            }
            else
            {
                history.Add((_server.Put(name, node: "n" + random.Next(3)), false));
                live.Add(name);
            }
        }
        // At-least-once delivery: every event once in order, with duplicates and replays of earlier ones mixed in.
        long offset = 0;
        foreach (var (pod, deleted) in history)
        {
            await source.HandleAsync(Delivery(pod, offset++, deleted), default);
            if (random.Next(5) == 0)
            {
                var (old, oldDeleted) = history[random.Next(history.Count)];
                await source.HandleAsync(Delivery(old, offset++, oldDeleted), default);
            }
        }

        Assert.Equal(seen.Versions.Count, seen.Versions.Distinct().Count());
        Assert.Equal(live.Order(), pods.List().Select(p => p.Metadata.Name!).Order());
        foreach (var name in live)
            Assert.Equal(history.Last(h => h.Pod.Metadata.Name == name).Pod.Metadata.ResourceVersion, pods.Get("default", name)!.Metadata.ResourceVersion);
        Assert.Equal(1, _server.Lists);
    }

    [Fact]
    public async Task Indexes_and_selectors_find_what_controllers_look_up()
    {
        _server.Put("a", node: "n1", labels: new() { ["app"] = "web" });
        _server.Put("b", node: "n2", labels: new() { ["app"] = "web", ["track"] = "canary" });
        _server.Put("c", node: "n1", labels: new() { ["app"] = "db" });
        var (_, pods, _) = await StartAsync();
        pods.AddIndexer(Indexers.NodeName, Indexers.ByNodeName);

        Assert.Equal(["a", "c"], pods.ByIndex(Indexers.NodeName, "n1").Select(p => p.Metadata.Name!).Order());
        Assert.Equal(["b"], pods.List("default", Selector.Parse("app=web,track")).Select(p => p.Metadata.Name!));
        Assert.Empty(pods.List("other"));

        pods.Observe(_server.Put("c", node: "n2"));
        Assert.Equal(["a"], pods.ByIndex(Indexers.NodeName, "n1").Select(p => p.Metadata.Name!));
    }

    [Fact]
    public async Task A_filter_turns_an_object_that_stops_matching_into_a_deletion()
    {
        _server.Put("mine", node: "n1");
        var (_, pods, seen) = await StartAsync(o => o.Filter = r => ((Pod)r).Spec.NodeName == "n1");
        pods.Observe(_server.Put("mine", node: "n2"));
        pods.Observe(_server.Put("theirs", node: "n2"));
        Assert.Equal(0, pods.Count);
        Assert.Equal(["add mine@1", "delete mine@1"], seen.Log);
    }

    [Fact]
    public async Task An_informer_that_gets_on_event_holds_what_the_apiserver_answers_not_the_event()
    {
        var (factory, pods, seen) = await StartAsync(o => o.GetOnEvent = true);
        var source = new InformerEventSource(factory, "platform.", ["pods"]);
        var full = _server.Put("web", node: "node-a");
        var announced = full with { Spec = new PodSpec() }; // what the event carries: a field left out

        await source.HandleAsync(Delivery(announced, 0), default);
        await source.HandleAsync(Delivery(announced, 1), default); // a replay: no second read
        Assert.Equal("node-a", pods.Get("default", "web")!.Spec.NodeName);
        Assert.Single(_server.Requests, r => r.PathAndQuery == "/api/v1/namespaces/default/pods/web");

        var gone = _server.Put("gone", node: "node-b");
        _server.Delete("gone");
        await source.HandleAsync(Delivery(gone, 2), default); // deleted before it was read: nothing to hold
        Assert.Null(pods.Get("default", "gone"));
        Assert.Equal(["add web@1"], seen.Log);
    }

    [Fact]
    public async Task A_metadata_only_informer_asks_for_metadata_and_holds_nothing_more()
    {
        _server.Put("web", node: "node-a");
        var (factory, pods, seen) = await StartAsync(o => o.MetadataOnly = true);
        Assert.Contains(_server.Accepts, a => a.Replace(" ", "", StringComparison.Ordinal).StartsWith("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,", StringComparison.Ordinal));
        // This fake answers whole pods, as a server without metadata lists would: the informer keeps their metadata.
        Assert.Null(pods.Get("default", "web")!.Spec.NodeName);

        var source = new InformerEventSource(factory, "platform.", ["pods"]);
        await source.HandleAsync(Delivery(_server.Put("web", node: "node-b", labels: new() { ["tier"] = "front" }), 0), default);
        var held = pods.Get("default", "web")!;
        Assert.Equal(("front", null, "Pod", "v1"), (held.Metadata.Labels!["tier"], held.Spec.NodeName, held.Kind, held.ApiVersion));
        Assert.Equal(["add web@1", "update web@1->2"], seen.Log);
    }

    [Fact]
    public async Task A_namespaced_informer_lists_and_holds_only_its_namespace()
    {
        var (factory, pods, _) = await StartAsync(o => o.Namespace = "default");
        Assert.Contains(_server.Requests, r => r.PathAndQuery == "/api/v1/namespaces/default/pods");
        var other = _server.Put("elsewhere") is var p ? p with { Metadata = p.Metadata with { Namespace = "team-b" } } : null!;
        pods.Observe(other);
        Assert.Equal(0, pods.Count);
        _ = factory;
    }

    [Fact]
    public async Task A_failed_list_is_retried_until_the_apiserver_answers()
    {
        _server.Put("a");
        _server.Scripted.Enqueue(() => FakeApiServer.Json(System.Net.HttpStatusCode.InternalServerError, """{"kind":"Status","reason":"InternalError","message":"boom"}"""));
        _server.Scripted.Enqueue(() => throw new HttpRequestException("connection refused"));
        var (_, pods, _) = await StartAsync(o => o.RetryDelay = TimeSpan.FromMilliseconds(5));
        Assert.Equal(1, pods.Count);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _http.Dispose();
        _server.Dispose();
        _stop.Dispose();
    }

    /// <summary>Records each notification as text, and every (name, version) handed over.</summary>
    private sealed class Seen : IResourceEventHandler<Pod>
    {
        private readonly ConcurrentQueue<string> _log = new();
        private readonly ConcurrentQueue<string> _versions = new();

        public IReadOnlyList<string> Log => [.. _log];
        public IReadOnlyList<string> Versions => [.. _versions];

        public void OnAdd(Pod obj) => Note($"add {obj.Metadata.Name}@{obj.Metadata.ResourceVersion}", obj);

        public void OnUpdate(Pod old, Pod now) => Note($"update {now.Metadata.Name}@{old.Metadata.ResourceVersion}->{now.Metadata.ResourceVersion}", now);

        public void OnDelete(Pod obj) => Note($"delete {obj.Metadata.Name}@{obj.Metadata.ResourceVersion}", obj);

        private void Note(string line, Pod pod)
        {
            _log.Enqueue(line);
            _versions.Enqueue(line.Split(' ')[0] + " " + pod.Metadata.Name + "@" + pod.Metadata.ResourceVersion);
        }
    }
}
