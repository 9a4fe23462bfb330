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

    [Theory]
    [InlineData("filters", "\"NoSuchFilter=1\"", "spec.filters[0].name", "filter NoSuchFilter: unknown filter 'NoSuchFilter'")]
    [InlineData("predicates", "\"Pth=/a/**\"", "spec.predicates[0].name", "predicate Pth: unknown predicate 'Pth'")]
    [InlineData("filters", "\"RewritePath=/a/(?<x, /b\"", "spec.filters[0].args.regexp", "filter RewritePath: argument 'regexp': invalid regex")]
    [InlineData("filters", "\"StripPrefix=two\"", "spec.filters[0].args.parts", "filter StripPrefix: argument 'parts': 'two' is not an integer")]
    [InlineData("filters", "{\"name\":\"AddRequestHeader\",\"args\":{\"name\":\"X-A\",\"vlaue\":\"1\"}}", "spec.filters[0].args.vlaue", "argument 'vlaue': unknown argument of AddRequestHeader")]
    [InlineData("filters", "\"SetStatus=NOT_A_STATUS\"", "spec.filters[0].args.status", "'NOT_A_STATUS' is not an HTTP status")]
    [InlineData("filters", "\"RewriteLocationResponseHeader=SOMETIMES\"", "spec.filters[0].args.stripVersion", "is not one of NEVER_STRIP, AS_IN_REQUEST, ALWAYS_STRIP")]
    [InlineData("filters", "\"AddRequestHeader=a, b, c\"", "spec.filters[0].args.value", "expected at most 2 value(s) (name, value), got 3")]
    [InlineData("predicates", "\"Weight=group\"", "spec.predicates[0].args.weight", "required")]
    [InlineData("predicates", "\"After=99999999999999999\"", "spec.predicates[0].args.datetime", "out of range")]
    public async Task Route_WithAComponentTheGatewayWouldRefuse_Is422NamingFilterAndArgument(string list, string component, string field, string reason)
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var route = new JsonObject
        {
            ["apiVersion"] = "gateway.platform.io/v1", ["kind"] = "Route", ["metadata"] = new JsonObject { ["name"] = "checked" },
            ["spec"] = new JsonObject { ["uri"] = "lb://web", [list] = new JsonArray(JsonNode.Parse(component)) },
        };
        var refused = await http.PostAsync($"/apis/gateway.platform.io/v1/namespaces/{ns}/routes", Http.Json(route)).ExpectAsync(422);
        var error = Assert.Single(refused["errors"]!.AsArray());
        Assert.Equal(field, (string)error!["field"]!);
        Assert.Contains(reason, (string)error["reason"]!, StringComparison.Ordinal);
        Assert.StartsWith("Route \"checked\" is invalid: " + field, (string)refused["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_WithEveryNewParityFilterInBothForms_IsAdmitted()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        await http.PostAsync($"/apis/gateway.platform.io/v1/namespaces/{ns}/routes", Http.Yaml("""
            apiVersion: gateway.platform.io/v1
            kind: Route
            metadata:
              name: parity
            spec:
              uri: no://op
              predicates: [ "Path=/{appId}/**" ]
              filters:
                - RemoveRequestParameter=red
                - RewriteRequestParameter=campaign,fall2023
                - SetRequestHostHeader=example.org
                - RewriteLocationResponseHeader=AS_IN_REQUEST, Location, ,
                - RemoveJsonAttributesResponseBody=id,color,true
                - name: CacheRequestBody
                  args: { bodyClass: java.lang.String }
                - name: ModifyRequestBody
                  args: { set: { status: approved, audit.by: gateway }, remove: [ secret ], maxSize: 64KB }
                - name: ModifyResponseBody
                  args: { from: json, to: form }
                - RequestHeaderToRequestUri=X-CF-Forwarded-Url
                - SetRequestUri=http://{appId}.example.com
            """)).ExpectAsync(201);
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
