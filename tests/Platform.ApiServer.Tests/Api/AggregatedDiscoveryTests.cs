using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Api;

/// <summary>Aggregated discovery (apidiscovery.k8s.io/v2), as client-go asks for it first: one answer per /api and /apis.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class AggregatedDiscoveryTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string Accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    [Fact]
    public async Task ApiAndApis_AnswerTheAggregatedList_WhenAsked_AndTheLegacyListsOtherwise()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();

        async Task<(string ContentType, JsonObject Body)> GetAsync(string path, string? accept)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
            using var r = await admin.SendAsync(request);
            r.EnsureSuccessStatusCode();
            return (r.Content.Headers.ContentType!.ToString().Replace(" ", ""), (JsonObject)JsonNode.Parse(await r.Content.ReadAsStringAsync())!);
        }

        var (type, apis) = await GetAsync("/apis", Accept);
        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", type);
        Assert.Equal(("APIGroupDiscoveryList", "apidiscovery.k8s.io/v2"), ((string?)apis["kind"], (string?)apis["apiVersion"]));
        var apps = apis["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == "apps")!["versions"]![0]!;
        Assert.Equal(("v1", "Current"), ((string?)apps["version"], (string?)apps["freshness"]));
        var deployments = apps["resources"]!.AsArray().Single(r => (string?)r!["resource"] == "deployments")!;
        Assert.Equal(("Namespaced", "deployment", "Deployment"), ((string?)deployments["scope"], (string?)deployments["singularResource"], (string?)deployments["responseKind"]!["kind"]));
        var scale = deployments["subresources"]!.AsArray().Single(s => (string?)s!["subresource"] == "scale")!;
        Assert.Equal(("autoscaling", "Scale"), ((string?)scale["responseKind"]!["group"], (string?)scale["responseKind"]!["kind"]));
        Assert.Contains(apis["items"]!.AsArray(), i => (string?)i!["metadata"]!["name"] == "rbac.authorization.k8s.io");

        var (_, core) = await GetAsync("/api", Accept);
        var pods = core["items"]![0]!["versions"]![0]!["resources"]!.AsArray().Single(r => (string?)r!["resource"] == "pods")!;
        Assert.Equal(["attach", "binding", "eviction", "exec", "log", "portforward", "status"], pods["subresources"]!.AsArray().Select(s => (string)s!["subresource"]!).Order());
        Assert.Equal(["po"], pods["shortNames"]!.AsArray().Select(s => (string?)s));
        Assert.Equal("Cluster", (string?)core["items"]![0]!["versions"]![0]!["resources"]!.AsArray().Single(r => (string?)r!["resource"] == "nodes")!["scope"]);

        // Without the aggregated Accept, the legacy lists.
        var (legacyType, legacy) = await GetAsync("/apis", "application/json");
        Assert.StartsWith("application/json", legacyType);
        Assert.Equal("APIGroupList", (string?)legacy["kind"]);
        Assert.Equal("APIVersions", (string?)(await GetAsync("/api", null)).Body["kind"]);
    }
}
