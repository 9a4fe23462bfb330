using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.EventBus.CloudEvents;
using Platform.EventBus.Consuming;
using Platform.Testing;

namespace Platform.ApiServer.Client.Tests;

/// <summary>What an informer refuses: its consumer's own check, and the apiserver's schema for Kafka events.</summary>
public sealed partial class InformerTests
{
    [Fact]
    public async Task A_refused_object_keeps_the_version_held_before_and_its_event_is_a_format_error()
    {
        _server.Put("poisoned", labels: new() { ["size"] = "huge" });
        _server.Put("fine", labels: new() { ["size"] = "small" });
        var (factory, pods, seen) = await StartAsync(o => o.Validate = r => r.Metadata.Labels?.GetValueOrDefault("size") == "huge" ? "too big" : null);
        Assert.Equal(["fine"], pods.List().Select(p => p.Metadata.Name!));

        var source = new InformerEventSource(factory, "platform.", ["pods"]);
        var ex = await Assert.ThrowsAsync<FormatException>(() => source.HandleAsync(Delivery(_server.Put("fine", labels: new() { ["size"] = "huge" }), 0), default));
        Assert.Contains("too big", ex.Message, StringComparison.Ordinal);
        Assert.Equal("small", pods.Get("default", "fine")!.Metadata.Labels!["size"]);
        Assert.Equal(["add fine@2"], seen.Log);
    }

    [Fact]
    public async Task An_event_the_apiserver_would_have_refused_as_a_write_is_refused_by_its_schema()
    {
        var (factory, pods, seen) = await StartAsync();
        var source = new InformerEventSource(factory, "platform.", ["pods"]);
        var web = _server.Put("web", node: "node-a");
        await source.HandleAsync(Delivery(web, 0), default);

        // Forged on the topic: a container without an image, a volume mount escaping its volume, a name that is no DNS label.
        var forged = web with
        {
            Metadata = web.Metadata with { ResourceVersion = "99" },
            Spec = web.Spec with { Containers = [new Container { Name = "Bad_Name", VolumeMounts = [new VolumeMount { Name = "../etc", MountPath = "/x" }] }] },
        };
        var ex = await Assert.ThrowsAsync<FormatException>(() => source.HandleAsync(Delivery(forged, 1), default));
        Assert.Contains("not a valid Pod: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("spec.containers[0].image: required", ex.Message, StringComparison.Ordinal);
        Assert.Equal("busybox", pods.Get("default", "web")!.Spec.Containers[0].Image);
        Assert.Equal(["add web@1"], seen.Log);

        // An informer may opt out (a consumer of its own, looser schema).
        var (looseFactory, loose, _) = await StartAsync(o => o.ValidateSchema = false);
        await new InformerEventSource(looseFactory, "platform.", ["pods"]).HandleAsync(Delivery(forged, 2), default);
        Assert.Equal("Bad_Name", loose.Get("default", "web")!.Spec.Containers[0].Name);
    }

    [Fact]
    public async Task The_watch_refuses_what_validation_refuses_and_keeps_the_version_held()
    {
        _server.Put("web", labels: new() { ["size"] = "small" });
        var (_, pods, seen) = await StartAsync(o =>
        {
            o.Source = InformerSource.Watch;
            o.Validate = r => r.Metadata.Labels?.GetValueOrDefault("size") == "huge" ? "too big" : null;
        });
        await Eventually.WaitAsync(() => _server.Requests.Any(r => r.PathAndQuery.Contains("watch=true", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the watch");
        _server.WatchLines.Add(FakeApiServer.WatchLine("MODIFIED", _server.Put("web", labels: new() { ["size"] = "huge" })));
        var next = _server.Put("other");
        _server.WatchLines.Add(FakeApiServer.WatchLine("ADDED", next));
        await Eventually.WaitAsync(() => pods.Get("default", "other") is not null, TimeSpan.FromSeconds(10), "the event after the refused one");
        Assert.Equal("small", pods.Get("default", "web")!.Metadata.Labels!["size"]);
        Assert.Equal(["add web@1", "add other@3"], seen.Log);
    }
}
