using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Watch;

[Collection(ApiServerCollection.Name)]
public sealed class WatchTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task WatchFromListResourceVersion_StreamsLaterChangesInOrder_FilteredBySelector()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var url = $"/api/v1/namespaces/{ns}/pods";
        await http.PostAsync(url, Http.Yaml(Http.Pod("before"))).ExpectAsync(201);
        var list = await http.GetAsync(url).ExpectAsync(200);
        var rv = (string)list["metadata"]!["resourceVersion"]!;

        using var watch = await http.GetAsync($"{url}?watch=true&resourceVersion={rv}&labelSelector=app%3Dweb&timeoutSeconds=20", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.OK, watch.StatusCode);
        using var reader = new StreamReader(await watch.Content.ReadAsStreamAsync());

        await http.PostAsync(url, Http.Yaml(Http.Pod("other", "app: db"))).ExpectAsync(201);
        await http.PostAsync(url, Http.Yaml(Http.Pod("after"))).ExpectAsync(201);
        await http.PatchAsync($"{url}/after", """{"metadata":{"annotations":{"a":"b"}}}""").ExpectAsync(200);
        await http.DeleteAsync($"{url}/after").ExpectAsync(200);

        var events = new List<(string Type, string Name, long Rv)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (events.Count < 3)
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            Assert.NotNull(line);
            var e = JsonNode.Parse(line)!;
            events.Add(((string)e["type"]!, (string)e["object"]!["metadata"]!["name"]!, long.Parse((string)e["object"]!["metadata"]!["resourceVersion"]!)));
        }
        Assert.Equal(["ADDED", "MODIFIED", "DELETED"], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal("after", e.Name));
        Assert.Equal(events.Select(e => e.Rv).Order(), events.Select(e => e.Rv));
        Assert.True(events[0].Rv > long.Parse(rv));
    }

    [Fact]
    public async Task AllowWatchBookmarks_SendsBookmarksWithTheResourceVersionReached_OnlyWhenAsked()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka, s => s["ApiServer:WatchBookmarkInterval"] = "00:00:01");
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var url = $"/api/v1/namespaces/{ns}/pods";
        var list = await http.GetAsync(url).ExpectAsync(200);
        var rv = (string)list["metadata"]!["resourceVersion"]!;

        async Task<List<JsonNode>> ReadForAsync(string query, TimeSpan span, Func<Task>? meanwhile = null)
        {
            using var watch = await http.GetAsync($"{url}?watch=true&resourceVersion={rv}{query}&timeoutSeconds=30", HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await watch.Content.ReadAsStreamAsync());
            if (meanwhile is not null) await meanwhile();
            var events = new List<JsonNode>();
            using var stop = new CancellationTokenSource(span);
            try
            {
                while (await reader.ReadLineAsync(stop.Token) is { } line) events.Add(JsonNode.Parse(line)!);
            }
            catch (OperationCanceledException)
            {
            }
            return events;
        }

        var created = "";
        var withBookmarks = await ReadForAsync("&allowWatchBookmarks=true", TimeSpan.FromSeconds(4), async () =>
            created = (string)(await http.PostAsync(url, Http.Yaml(Http.Pod("marked"))).ExpectAsync(201))["metadata"]!["resourceVersion"]!);
        Assert.Equal("ADDED", (string)withBookmarks[0]["type"]!);
        var marks = withBookmarks.Where(e => (string)e["type"]! == "BOOKMARK").ToList();
        Assert.NotEmpty(marks);
        Assert.All(marks, m =>
        {
            Assert.Equal("Pod", (string)m["object"]!["kind"]!);
            Assert.Equal(created, (string)m["object"]!["metadata"]!["resourceVersion"]!);   // as far as the watch got
        });

        var without = await ReadForAsync("", TimeSpan.FromSeconds(3));
        Assert.DoesNotContain(without, e => (string)e["type"]! == "BOOKMARK");
        Assert.Equal(["ADDED"], without.Select(e => (string)e["type"]!));
    }

    [Fact]
    public async Task WatchWithoutResourceVersion_StartsWithCurrentObjects_AndTooOldVersionIs410()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var url = $"/api/v1/namespaces/{ns}/configmaps";
        await http.PostAsync(url, Http.Yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n")).ExpectAsync(201);
        using (var watch = await http.GetAsync($"{url}?watch=1&timeoutSeconds=5", HttpCompletionOption.ResponseHeadersRead))
        using (var reader = new StreamReader(await watch.Content.ReadAsStreamAsync()))
        {
            var first = JsonNode.Parse((await reader.ReadLineAsync())!)!;
            Assert.Equal("ADDED", (string?)first["type"]);
            Assert.Equal("one", (string?)first["object"]!["metadata"]!["name"]);
        }
        var compactor = host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Platform.ApiServer.Watch.HistoryCompactor>().Single();
        Assert.True(await compactor.CompactAsync(TimeSpan.Zero, CancellationToken.None) > 0);
        var gone = await http.GetAsync($"{url}?watch=true&resourceVersion=1").ExpectAsync(410);
        Assert.Contains("too old resource version", (string?)gone["detail"]);
    }
}
