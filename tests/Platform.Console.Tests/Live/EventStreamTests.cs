using System.Net;
using System.Text.Json.Nodes;
using Platform.Console.Tests.Support;
using Platform.Testing.ApiServer;

namespace Platform.Console.Tests.Live;

[Collection(ConsoleCollection.Name)]
public sealed class EventStreamTests(ConsoleFixture fx)
{
    [Fact]
    public async Task Stream_DeliversThePodCreatedAfterItOpened()
    {
        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();
        using var browser = fx.Browser();
        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();
        await using var stream = await SseReader.OpenAsync(browser.Http, $"/live/events?ns={ns}&kind=pods");

        await admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod("live-1"))).ExpectAsync(201);
        var e = await stream.NextAsync(x => (string?)x["name"] == "live-1", TimeSpan.FromSeconds(30));
        Assert.Equal(ns, (string?)e["namespace"]);
        Assert.Equal("Pod", (string?)e["kind"]);
        Assert.Equal("created", (string?)e["action"]);
        Assert.DoesNotContain("nginx", e.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_OfANamespacedViewer_CarriesOnlyItsNamespace()
    {
        using var admin = fx.Admin();
        var mine = await admin.CreateNamespaceAsync();
        var other = await admin.CreateNamespaceAsync();
        var token = await fx.ServiceAccountTokenAsync(mine, "watcher", "view");
        using var adminBrowser = fx.Browser();
        (await adminBrowser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();
        await using var all = await SseReader.OpenAsync(adminBrowser.Http, "/live/events?kind=pods");

        // The other namespace's pod is in the console's buffer (the admin saw it) before the viewer's stream opens...
        await admin.PostAsync($"/api/v1/namespaces/{other}/pods", Http.Yaml(Http.Pod("not-yours"))).ExpectAsync(201);
        await all.NextAsync(x => (string?)x["name"] == "not-yours", TimeSpan.FromSeconds(30));
        using var viewer = fx.Browser();
        (await viewer.SignInAsync(token)).Dispose();
        await using var mineOnly = await SseReader.OpenAsync(viewer.Http, "/live/events?kind=pods");
        await admin.PostAsync($"/api/v1/namespaces/{mine}/pods", Http.Yaml(Http.Pod("yours"))).ExpectAsync(201);

        // ...and the viewer's stream, replaying that buffer and then live, carries its own pod and never the other.
        await mineOnly.NextAsync(x => (string?)x["name"] == "yours", TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(mineOnly.Seen, x => (string?)x["namespace"] == other);
        Assert.Contains(mineOnly.Seen, x => (string?)x["namespace"] == mine);
    }

    [Fact]
    public async Task Stream_WithoutReplay_StartsNow_AndTakesSeveralKinds()
    {
        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();
        using var browser = fx.Browser();
        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();
        await using (var everything = await SseReader.OpenAsync(browser.Http, $"/live/events?ns={ns}"))
        {
            await admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod("before"))).ExpectAsync(201);
            await everything.NextAsync(x => (string?)x["name"] == "before", TimeSpan.FromSeconds(30));
        }

        await using var fromNow = await SseReader.OpenAsync(browser.Http, $"/live/events?ns={ns}&kind=configmaps,%20Pods&replay=false");
        await admin.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Http.Json("""{"metadata":{"name":"settings"},"data":{"k":"secret-ish"}}""")).ExpectAsync(201);
        await admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod("after"))).ExpectAsync(201);
        // Two topics: either may come first.
        bool Saw(string name) => fromNow.Seen.Any(x => (string?)x["name"] == name);
        await fromNow.NextAsync(_ => Saw("after") && Saw("settings"), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(fromNow.Seen, x => (string?)x["name"] == "before");
        Assert.DoesNotContain(fromNow.Seen, x => x.ToJsonString().Contains("secret-ish", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stream_WithoutSignIn_Is401()
    {
        using var browser = fx.Browser();
        using var r = await browser.Http.GetAsync("/live/events");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
    }
}
