using System.Text;
using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Contracts.Resources;
using Platform.Contracts.Routing;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Api;

[Collection(ApiServerCollection.Name)]
public sealed class RouteAndEventTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task Route_IsServedUnderTheGatewayGroup_AndPublishedAsARouteSpecTheGatewayCanRead()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var url = $"/apis/gateway.platform.io/v1/namespaces/{ns}/routes";
        await http.PostAsync(url, Http.Yaml("""
            apiVersion: gateway.platform.io/v1
            kind: Route
            metadata:
              name: first-service
            spec:
              uri: lb://first-service
              order: 1
              predicates:
                - Path=/first-service/**
              filters:
                - AddRequestHeader=first-request, first-request-header
                - name: RewritePath
                  args: {regexp: "/first-service/(?<segment>.*)", replacement: "/${segment}"}
            """)).ExpectAsync(201);
        var bad = await http.PostAsync(url, Http.Yaml("apiVersion: gateway.platform.io/v1\nkind: Route\nmetadata:\n  name: bad\nspec:\n  uri: 'not a uri'\n  filters: [42]\n")).ExpectAsync(422);
        Assert.Equal(["spec.uri", "spec.filters[0]"], bad["errors"]!.AsArray().Select(e => (string)e!["field"]!));

        var message = Assert.Single(kafka.ConsumeMany(host.Topic(ResourceKinds.Route), 1, TimeSpan.FromSeconds(15)));
        Assert.Equal($"{ns}/first-service", message.Message.Key);
        Assert.Equal("io.platform.route.created", Encoding.UTF8.GetString(message.Message.Headers.GetLastBytes("ce_type")));
        var route = System.Text.Json.JsonSerializer.Deserialize<Route>(message.Message.Value, ResourceJson.Options)!;
        RouteSpec spec = route.Spec!;
        Assert.Equal("lb://first-service", spec.Uri);
        Assert.Equal(1, spec.Order);
        Assert.Equal("Path=/first-service/**", spec.Predicates[0].GetString());
        Assert.Equal("RewritePath", spec.Filters[1].GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("ws://chat:8080", 0, "spec.uri")]
    [InlineData("wss://chat:8443", 0, "spec.uri")]
    [InlineData("ftp://files", 0, "spec.uri")]
    [InlineData("lb://web.team-b.extra", 0, "spec.uri")]
    [InlineData("lb://my_service", 0, "spec.uri")]
    [InlineData("lb://web", -1, "spec.order")]
    [InlineData("lb://web", RouteSpec.MaxOrder + 1, "spec.order")]
    public async Task Route_TheGatewayCouldNotServeOrThatSortsBeforeItsOwnRoutes_Is422NamingTheField(string uri, int order, string field)
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var url = $"/apis/gateway.platform.io/v1/namespaces/{ns}/routes";
        var route = new JsonObject
        {
            ["apiVersion"] = "gateway.platform.io/v1", ["kind"] = "Route", ["metadata"] = new JsonObject { ["name"] = "r" },
            ["spec"] = new JsonObject { ["uri"] = uri, ["order"] = order, ["predicates"] = new JsonArray("Path=/r/**") },
        };
        var refused = await http.PostAsync(url, Http.Json(route)).ExpectAsync(422);
        Assert.Equal([field], refused["errors"]!.AsArray().Select(e => (string)e!["field"]!));

        // The bounds themselves and the URIs the gateway serves are accepted.
        route["spec"]!["uri"] = "lb://web.other";
        route["spec"]!["order"] = RouteSpec.MaxOrder;
        await http.PostAsync(url, Http.Json(route)).ExpectAsync(201);
    }

    [Fact]
    public async Task Event_IsKeyedByItsInvolvedObject_AndFoundByFieldSelector()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var created = await http.PostAsync($"/api/v1/namespaces/{ns}/events", Http.Json($$$"""
            {"metadata":{"generateName":"web-1."},"involvedObject":{"kind":"Pod","name":"web-1","namespace":"{{{ns}}}"},
             "reason":"FailedScheduling","type":"Warning","message":"0/3 nodes are available: 3 Insufficient cpu.","source":{"component":"scheduler"}}
            """)).ExpectAsync(201);
        Assert.StartsWith("web-1.", (string?)created["metadata"]!["name"]);
        Assert.Equal(1, (int)created["count"]!);
        Assert.NotNull(created["firstTimestamp"]);
        var found = await http.GetAsync($"/api/v1/namespaces/{ns}/events?fieldSelector=involvedObject.name%3Dweb-1,involvedObject.kind%3DPod").ExpectAsync(200);
        Assert.Single(found["items"]!.AsArray());
        var none = await http.GetAsync($"/api/v1/namespaces/{ns}/events?fieldSelector=involvedObject.name%3Dweb-2").ExpectAsync(200);
        Assert.Empty(none["items"]!.AsArray());
        var message = Assert.Single(kafka.ConsumeMany(host.Topic(ResourceKinds.Event), 1, TimeSpan.FromSeconds(15)));
        Assert.Equal($"{ns}/web-1", message.Message.Key);
        Assert.Equal("FailedScheduling", (string?)JsonNode.Parse(message.Message.Value)!["reason"]);
    }
}
