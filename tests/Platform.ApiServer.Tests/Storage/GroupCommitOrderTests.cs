using System.Globalization;
using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Storage;

[Collection(ApiServerCollection.Name)]
public sealed class GroupCommitOrderTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const int Objects = 150;

    [Fact]
    public async Task TwoApiServersGroupingConcurrentWrites_AWatchSeesEveryAcknowledgedWriteInResourceVersionOrder()
    {
        await using var first = await ApiServerHost.StartAsync(pg, kafka);
        // One cluster: the second apiserver shares the first's database, topics and admin token.
        await using var second = await ApiServerHost.StartAsync(pg, kafka, s => s["ApiServer:AdminToken"] = first.AdminToken,
            connectionString: first.ConnectionString, topicPrefix: first.TopicPrefix);
        using var one = first.AdminClient();
        using var two = second.Client(first.AdminToken);
        var ns = await one.CreateNamespaceAsync();
        var url = $"/api/v1/namespaces/{ns}/configmaps";
        var start = (string)(await one.GetAsync(url).ExpectAsync(200))["metadata"]!["resourceVersion"]!;
        using var watch = await one.GetAsync($"{url}?watch=true&resourceVersion={start}&timeoutSeconds=120", HttpCompletionOption.ResponseHeadersRead);
        using var stream = new StreamReader(await watch.Content.ReadAsStreamAsync());

        // Every object is created through one apiserver and patched through the other, 32 requests in flight.
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<long>();
        var latest = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var inFlight = new SemaphoreSlim(32);
        async Task WriteAsync(int i)
        {
            await inFlight.WaitAsync();
            try
            {
                var name = $"cm-{i}";
                var created = await (i % 2 == 0 ? one : two).PostAsync(url, Http.Json(GroupCommit.ConfigMap(name))).ExpectAsync(201);
                acknowledged.Add(Version(created));
                var patched = await (i % 2 == 0 ? two : one).PatchAsync($"{url}/{name}", """{"data":{"k":"patched"}}""").ExpectAsync(200);
                acknowledged.Add(Version(patched));
                latest[name] = Version(patched);
            }
            finally
            {
                inFlight.Release();
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Objects).Select(WriteAsync));

        var expected = acknowledged.ToHashSet();
        Assert.Equal(2 * Objects, expected.Count);
        var seen = new List<long>();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            while (!expected.IsSubsetOf(seen) && await stream.ReadLineAsync(timeout.Token) is { } line)
                seen.Add(Version(JsonNode.Parse(line)!["object"]!));
        for (var i = 1; i < seen.Count; i++) Assert.True(seen[i] > seen[i - 1], $"watch event {i} has resourceVersion {seen[i]} after {seen[i - 1]}");
        Assert.Empty(expected.Except(seen));

        // A list from either apiserver shows each object at its last acknowledged version, at a resourceVersion no older.
        foreach (var http in new[] { one, two })
        {
            var list = await http.GetAsync(url).ExpectAsync(200);
            Assert.True(Version(list) >= expected.Max());
            var items = list["items"]!.AsArray();
            Assert.Equal(Objects, items.Count);
            foreach (var item in items) Assert.Equal(latest[(string)item!["metadata"]!["name"]!], Version(item));
        }
    }

    private static long Version(JsonNode node) => long.Parse((string)node["metadata"]!["resourceVersion"]!, CultureInfo.InvariantCulture);
}
