using System.Net;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Storage;

/// <summary>
/// A write and its commit go to Postgres as one batch; a failed check inside it (name taken, parent missing) must stop
/// the batch before its COMMIT, so nothing of the refused write is stored, recorded in the history or published.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class WriteBatchTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task ConcurrentCreatesOfOneName_ExactlyOneWins_OthersGet409AlreadyExists_AndOnlyTheWinnerIsRecorded()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => http.PostAsync($"/api/v1/namespaces/{ns}/configmaps",
            Http.Yaml($"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\ndata:\n  writer: \"{i}\"\n"))));
        Assert.Single(results, r => r.StatusCode == HttpStatusCode.Created);
        var losers = results.Where(r => r.StatusCode != HttpStatusCode.Created).ToList();
        Assert.Equal(7, losers.Count);
        foreach (var r in losers)
        {
            Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
            Assert.Equal("AlreadyExists", (string?)(await r.ReadObjectAsync())["reason"]);
        }
        var winner = await results.Single(r => r.StatusCode == HttpStatusCode.Created).ReadObjectAsync();
        Assert.Equal(1L, await Db.ScalarAsync<long>(host.ConnectionString, "SELECT count(*) FROM platform_outbox WHERE message_key = $1", $"{ns}/same"));
        Assert.Equal(1L, await Db.ScalarAsync<long>(host.ConnectionString, "SELECT count(*) FROM apiserver_changes WHERE namespace = $1 AND name = 'same'", ns));
        var stored = await http.GetAsync($"/api/v1/namespaces/{ns}/configmaps/same").ExpectAsync(200);
        Assert.Equal((string?)winner["data"]!["writer"], (string?)stored["data"]!["writer"]);
    }

    [Fact]
    public async Task WritesThatNeedAMissingParent_Get404_AndLeaveNoTrace_WhileTheOutboxCarriesEachCommittedResourceVersion()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var missingNs = "gone-" + Guid.NewGuid().ToString("N")[..8];
        var problem = await http.PostAsync($"/api/v1/namespaces/{missingNs}/pods", Http.Yaml(Http.Pod("p"))).ExpectAsync(404);
        Assert.Contains(missingNs, (string?)problem["detail"]);

        var ns = await http.CreateNamespaceAsync();
        var created = await http.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod("web"))).ExpectAsync(201);
        problem = await http.PostAsync($"/api/v1/namespaces/{ns}/pods/web/binding", Http.Json("""{"target":{"kind":"Node","name":"no-such-node"}}""")).ExpectAsync(404);
        Assert.Contains("no-such-node", (string?)problem["detail"]);
        var patched = await http.PatchAsync($"/api/v1/namespaces/{ns}/pods/web", """{"metadata":{"labels":{"tier":"front"}}}""").ExpectAsync(200);

        var pod = await http.GetAsync($"/api/v1/namespaces/{ns}/pods/web").ExpectAsync(200);
        Assert.Null(pod["spec"]!["nodeName"]);
        Assert.Equal((string?)patched["metadata"]!["resourceVersion"], (string?)pod["metadata"]!["resourceVersion"]);
        Assert.Equal(0L, await Db.ScalarAsync<long>(host.ConnectionString, "SELECT count(*) FROM platform_outbox WHERE message_key LIKE $1", missingNs + "/%"));
        // Exactly the create and the patch were published, each carrying the resourceVersion it was committed with,
        // in its data and in its CloudEvents extension, and the same in the watch history.
        var published = await Db.DumpAsync(host.ConnectionString, $"""
            SELECT extensions->>'resourceversion', convert_from(data, 'UTF8')::json->'metadata'->>'resourceVersion',
                   (SELECT body->'metadata'->>'resourceVersion' FROM apiserver_changes c WHERE c.resource_version = (o.extensions->>'resourceversion')::bigint)
            FROM platform_outbox o WHERE message_key = '{ns}/web' ORDER BY id
            """);
        string V(System.Text.Json.Nodes.JsonObject o) => (string)o["metadata"]!["resourceVersion"]!;
        Assert.Equal($"{V(created)}\t{V(created)}\t{V(created)}\t{V(patched)}\t{V(patched)}\t{V(patched)}\t", published);
    }

    [Fact]
    public async Task FarMoreConcurrentWritersThanAreAdmittedToPostgresAtOnce_AllComplete_EachWithItsOwnResourceVersion()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Http.Yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hot\n")).ExpectAsync(201);
        var writers = 6 * Platform.ApiServer.Storage.ObjectStore.MaxConcurrentWrites;
        // Half create distinct objects, half patch one object (they queue on its row lock inside the admitted writers).
        var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(i => i % 2 == 0
            ? http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Http.Yaml($"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n"))
            : http.PatchAsync($"/api/v1/namespaces/{ns}/configmaps/hot", "{\"data\":{\"k" + i + "\":\"v\"}}")));
        var versions = new List<string>();
        foreach (var r in results)
        {
            Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
            versions.Add((string)(await r.ReadObjectAsync())["metadata"]!["resourceVersion"]!);
        }
        Assert.Equal(writers, versions.Distinct().Count());
        var hot = await http.GetAsync($"/api/v1/namespaces/{ns}/configmaps/hot").ExpectAsync(200);
        Assert.Equal(writers / 2, hot["data"]!.AsObject().Count);
        Assert.Equal(writers + 1L, await Db.ScalarAsync<long>(host.ConnectionString, "SELECT count(*) FROM platform_outbox WHERE message_key LIKE $1", ns + "/%"));
    }
}
