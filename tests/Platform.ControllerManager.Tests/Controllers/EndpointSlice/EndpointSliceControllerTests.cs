using System.Text.Json;
using Platform.Contracts.Resources;
using Platform.Testing;

namespace Platform.ControllerManager.Tests.Controllers.EndpointSlice;

using H = EndpointSliceHarness;

public sealed class EndpointSliceControllerTests
{
    [Fact]
    public async Task Slice_FollowsPodsBecomingReadyNotReadyAndDeleted_AndTheEndpointsMirrorFollows()
    {
        await using var h = new H();
        await h.StartAsync(services: H.Service("web"));
        var a = H.Pod("a", "web", "10.244.0.2", ready: true);
        var b = H.Pod("b", "web", "10.244.0.3", ready: false);
        h.Observe(a);
        h.Observe(b);
        h.Observe(H.Pod("other", "db", "10.244.0.9", ready: true));

        var slice = Assert.Single(await h.SettledAsync(s => s is [{ Endpoints.Count: 2 }], "a slice with a and b"));
        Assert.Equal("web", slice.Metadata.Labels!["kubernetes.io/service-name"]);
        Assert.Equal("endpointslice-controller.k8s.io", slice.Metadata.Labels["endpointslice.kubernetes.io/managed-by"]);
        var owner = Assert.Single(slice.Metadata.OwnerReferences!);
        Assert.True(owner is { Kind: "Service", Name: "web", Uid: "svc-web", Controller: true });
        Assert.Equal("IPv4", slice.AddressType);
        var port = Assert.Single(slice.Ports!);
        Assert.True(port is { Name: "web", Port: 8080, Protocol: "TCP" });
        var ea = slice.Endpoints!.Single(e => e.TargetRef!.Name == "a");
        Assert.Equal(["10.244.0.2"], ea.Addresses);
        Assert.True(ea.Conditions is { Ready: true, Serving: true, Terminating: false });
        Assert.True(ea.TargetRef is { Kind: "Pod", Namespace: H.Ns, Uid: "uid-a" });
        Assert.Equal("node-1", ea.NodeName);
        Assert.True(slice.Endpoints!.Single(e => e.TargetRef!.Name == "b").Conditions is { Ready: false, Serving: false });
        var ep = Mirror(h, "web");
        Assert.Equal("10.244.0.2", Assert.Single(ep.Subsets![0].Addresses!).Ip);
        Assert.Equal("10.244.0.3", Assert.Single(ep.Subsets![0].NotReadyAddresses!).Ip);

        h.Observe(b with { Status = b.Status! with { Conditions = [new Condition { Type = "Ready", Status = "True" }] } });
        await h.SettledAsync(s => s is [var x] && x.Endpoints!.All(e => e.Conditions!.Ready == true), "b ready");
        Assert.Equal(2, Mirror(h, "web").Subsets![0].Addresses!.Count);

        // Terminating: still listed, not ready, serving while ready; then gone.
        h.Observe(a with { Metadata = a.Metadata with { DeletionTimestamp = DateTimeOffset.UtcNow } });
        await h.SettledAsync(s => s is [var x] && x.Endpoints!.Single(e => e.TargetRef!.Name == "a").Conditions is { Ready: false, Serving: true, Terminating: true }, "a terminating");
        h.Delete(a);
        var left = Assert.Single(await h.SettledAsync(s => s is [{ Endpoints.Count: 1 }], "a gone"));
        Assert.Equal("b", left.Endpoints![0].TargetRef!.Name);
        Assert.Equal("10.244.0.3", Assert.Single(Mirror(h, "web").Subsets![0].Addresses!).Ip);
    }

    [Fact]
    public async Task NamedTargetPort_IsResolvedPerPod_PodsWithAnotherNumberOrWithoutTheNameGetTheirOwnSlices()
    {
        await using var h = new H();
        await h.StartAsync(services: H.Service("web"));
        h.Observe(H.Pod("p8080", "web", "10.244.0.2", ready: true));
        h.Observe(H.Pod("p9090", "web", "10.244.0.3", ready: true, httpPort: 9090));
        h.Observe(H.Pod("nameless", "web", "10.244.0.4", ready: true, namedPort: false));

        var slices = await h.SettledAsync(s => s.Count == 3, "three port sets");
        string Ports(EndpointSliceView v) => v.Ports;
        var views = slices.Select(s => new EndpointSliceView(string.Join(",", s.Ports!.Select(p => p.Port)), string.Join(",", s.Endpoints!.Select(e => e.TargetRef!.Name)))).ToList();
        Assert.Contains(new EndpointSliceView("8080", "p8080"), views);
        Assert.Contains(new EndpointSliceView("9090", "p9090"), views);
        Assert.Contains(new EndpointSliceView("", "nameless"), views);
        Assert.Equal(3, views.Select(Ports).Distinct().Count());
    }

    [Fact]
    public async Task MoreEndpointsThanTheLimit_AreSplit_AnAddedPodTouchesOneSlice_AndNothingIsRewrittenWhenUnchanged()
    {
        await using var h = new H(maxPerSlice: 100);
        var svc = H.Service("big", targetPort: null);
        await h.StartAsync(services: svc);
        for (var i = 0; i < 250; i++) h.Observe(H.Pod($"p{i:D3}", "big", $"10.244.{i / 200}.{i % 200 + 1}", ready: true));

        var slices = await h.SettledAsync(s => s.Sum(x => x.Endpoints!.Count) == 250, "250 endpoints");
        Assert.Equal([50, 100, 100], slices.Select(s => s.Endpoints!.Count).Order());
        Assert.Equal(250, slices.SelectMany(s => s.Endpoints!).Select(e => e.TargetRef!.Uid).Distinct().Count());

        var writes = h.Api.WritesTo("endpointslices");
        h.Observe(svc with { Metadata = svc.Metadata with { Annotations = new() { ["note"] = "unrelated" } } });
        h.Observe(H.Pod("p000", "big", "10.244.0.1", ready: true));
        await Task.Delay(500);
        Assert.Equal(writes, h.Api.WritesTo("endpointslices"));

        h.Observe(H.Pod("p999", "big", "10.244.9.9", ready: true));
        slices = await h.SettledAsync(s => s.Sum(x => x.Endpoints!.Count) == 251, "251 endpoints");
        Assert.Equal(writes + 1, h.Api.WritesTo("endpointslices"));
        Assert.Equal([51, 100, 100], slices.Select(s => s.Endpoints!.Count).Order());
    }

    [Fact]
    public async Task PublishNotReadyAddresses_MarksEveryEndpointReady()
    {
        await using var h = new H();
        await h.StartAsync(services: H.Service("peers", publishNotReady: true));
        h.Observe(H.Pod("p0", "peers", "10.244.0.2", ready: false));
        var slice = Assert.Single(await h.SettledAsync(s => s is [{ Endpoints.Count: 1 }], "the endpoint"));
        Assert.True(slice.Endpoints![0].Conditions is { Ready: true, Serving: true });
        Assert.Equal("10.244.0.2", Assert.Single(Mirror(h, "peers").Subsets![0].Addresses!).Ip);
    }

    [Fact]
    public async Task SlicesOfADeletedService_AreCollectedByTheGarbageCollector()
    {
        await using var h = new H();
        var svc = H.Service("gone");
        await h.StartAsync(collector: true, svc);
        h.Observe(H.Pod("p0", "gone", "10.244.0.2", ready: true));
        await h.SettledAsync(s => s is [{ Endpoints.Count: 1 }], "the slice");
        Assert.NotNull(h.Api.Get(ResourceKinds.Endpoints.ObjectPath(H.Ns, "gone")));

        // The Service is gone (the apiserver answers 404 for it): its slice and Endpoints are orphans.
        h.DeleteService(svc);
        await Eventually.WaitAsync(() => h.StoredSlices().Count == 0 && h.Api.Get(ResourceKinds.Endpoints.ObjectPath(H.Ns, "gone")) is null,
            TimeSpan.FromSeconds(10), "orphans collected");
        Assert.Contains(h.Api.Writes, w => w.Verb == "delete" && w.Path.Contains("/endpointslices/gone-", StringComparison.Ordinal));
    }

    private static Endpoints Mirror(H h, string name) =>
        h.Api.Get(ResourceKinds.Endpoints.ObjectPath(H.Ns, name))!.Deserialize<Endpoints>(ResourceJson.Options)!;

    private sealed record EndpointSliceView(string Ports, string Pods);
}
