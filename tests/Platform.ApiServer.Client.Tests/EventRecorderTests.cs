using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.ApiServer.Client.Events;
using Platform.Contracts.Resources;
using Platform.Testing;

namespace Platform.ApiServer.Client.Tests;

public sealed class EventRecorderTests : IAsyncLifetime
{
    private readonly FakeApiServer _server = new();
    private readonly HttpClient _http;
    private readonly EventRecorder _recorder;

    private static readonly Pod Web = new()
    {
        ApiVersion = "v1", Kind = "Pod",
        Metadata = new ObjectMeta { Name = "web", Namespace = "shop", Uid = "uid-web", ResourceVersion = "7" },
    };

    public EventRecorderTests()
    {
        _http = new HttpClient(_server) { BaseAddress = new Uri("http://apiserver.test") };
        _recorder = new EventRecorder(new ApiClient(_http), new EventRecorderOptions { Component = "node-agent", Host = "node-1", Concurrency = 1 },
            TimeProvider.System, NullLogger<EventRecorder>.Instance);
    }

    private List<(string Method, string Path, JsonObject Body)> Writes() =>
        [.. _server.Requests.Select(r => (r.Method, r.PathAndQuery, (JsonObject)JsonNode.Parse(r.Body)!))];

    [Fact]
    public async Task A_repeated_event_raises_the_count_of_the_first_instead_of_writing_another()
    {
        for (var i = 0; i < 3; i++) _recorder.Record(Web, "Warning", "BackOff", "Back-off restarting failed container app", "spec.containers{app}");
        _recorder.Record(Web, "Normal", "Pulled", "Container image \"busybox\" already present");
        await Eventually.WaitAsync(() => _server.Requests.Count == 4, TimeSpan.FromSeconds(10), "four writes");

        var writes = Writes();
        Assert.Equal(("POST", "/api/v1/namespaces/shop/events"), (writes[0].Method, writes[0].Path));
        var created = writes[0].Body;
        var name = (string)created["metadata"]!["name"]!;
        Assert.StartsWith("web.", name, StringComparison.Ordinal);
        Assert.Equal("BackOff", (string?)created["reason"]);
        Assert.Equal(1, (int)created["count"]!);
        Assert.Equal("spec.containers{app}", (string?)created["involvedObject"]!["fieldPath"]);
        Assert.Equal("uid-web", (string?)created["involvedObject"]!["uid"]);
        Assert.Equal("node-agent", (string?)created["source"]!["component"]);
        Assert.Equal("node-1", (string?)created["source"]!["host"]);

        Assert.Equal(("PATCH", $"/api/v1/namespaces/shop/events/{name}", 2), (writes[1].Method, writes[1].Path, (int)writes[1].Body["count"]!));
        Assert.Equal(("PATCH", $"/api/v1/namespaces/shop/events/{name}", 3), (writes[2].Method, writes[2].Path, (int)writes[2].Body["count"]!));
        Assert.NotNull(writes[2].Body["lastTimestamp"]);
        Assert.Equal(("POST", "Pulled"), (writes[3].Method, (string?)writes[3].Body["reason"]));
    }

    [Fact]
    public async Task An_aggregated_event_that_is_gone_is_written_anew()
    {
        _recorder.Record(Web, "Warning", "Unhealthy", "Liveness probe failed");
        await Eventually.WaitAsync(() => _server.Requests.Count == 1, TimeSpan.FromSeconds(10), "the first write");
        _server.Scripted.Enqueue(() => FakeApiServer.Json(HttpStatusCode.NotFound, """{"kind":"Status","reason":"NotFound","message":"events not found"}"""));
        _recorder.Record(Web, "Warning", "Unhealthy", "Liveness probe failed");
        await Eventually.WaitAsync(() => _server.Requests.Count == 3, TimeSpan.FromSeconds(10), "patch, then create");
        Assert.Equal(["POST", "PATCH", "POST"], Writes().Select(w => w.Method));
    }

    [Fact]
    public async Task A_refused_write_is_dropped_and_counted_without_failing_the_caller()
    {
        _server.Scripted.Enqueue(() => FakeApiServer.Json(HttpStatusCode.Forbidden, """{"kind":"Status","reason":"Forbidden","message":"no"}"""));
        _recorder.Record(Web, "Normal", "Started", "Started container app");
        await Eventually.WaitAsync(() => _recorder.DroppedCount == 1, TimeSpan.FromSeconds(10), "the drop counted");
    }

    public Task InitializeAsync() => _recorder.StartAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _recorder.StopAsync(CancellationToken.None);
        _recorder.Dispose();
        _http.Dispose();
        _server.Dispose();
    }
}
