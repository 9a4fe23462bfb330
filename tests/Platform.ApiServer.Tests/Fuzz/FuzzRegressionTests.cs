using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Fuzz;

namespace Platform.ApiServer.Tests.Fuzz;

/// <summary>Requests the apiserver fuzz suite once failed on, replayed exactly.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class FuzzRegressionTests(PostgresFixture pg, KafkaFixture kafka)
{
    /// <summary>
    /// A JSON body with a repeated key parsed, then threw on first use of the object: a 500. Now refused like the
    /// same key repeated in YAML.
    /// </summary>
    [Theory]
    [InlineData("POST", "/apis/apps/v1/namespaces/{ns}/deployments", "application/json",
        """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":null,"containers":[{"name":"c","image":"nginx"}]}}}}""")]
    [InlineData("POST", "/api/v1/namespaces/{ns}/resourcequotas", "application/json",
        """{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q"},"spec":{"hard":"dup","hard":{"pods":"10","requests.cpu":"4"}}}""")]
    [InlineData("POST", "/api/v1/nodes", "application/json",
        """{"apiVersion":"v1","kind":"Node","metadata":{"name":true,"name":"n"},"spec":{"taints":[{"key":"k","effect":"NoSchedule"}]}}""")]
    [InlineData("PATCH", "/api/v1/namespaces/{ns}/configmaps/x", "application/strategic-merge-patch+json",
        """{"apiVersion":1e400,"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"a":"b"}}""")]
    [InlineData("PATCH", "/api/v1/namespaces/{ns}/configmaps/x", "application/json-patch+json",
        """[{"op":"add","op":"remove","path":"/data/a","value":"b"}]""")]
    public async Task JsonBody_WithDuplicateKey_Is400SayingSo(string method, string url, string contentType, string body)
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Http.Yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n")).ExpectAsync(201);
        using var client = new FuzzClient(host.BaseAddress, [new("Authorization", "Bearer " + host.AdminToken)]);

        var response = await client.SendAsync(
            new FuzzRequest(method, url.Replace("{ns}", ns, StringComparison.Ordinal)).WithBody(body, contentType), CancellationToken.None);

        Assert.True(response.Status == 400, $"{response.Status}: {response.Body}");
        var message = (string?)JsonNode.Parse(response.Body)!["detail"];
        Assert.Contains("Duplicate property", message, StringComparison.Ordinal);
    }

    /// <summary>A field selector value with a NUL reached Postgres, which refuses NUL in text: a 500. Now a 400.</summary>
    [Fact]
    public async Task FieldSelector_WithAControlCharacter_Is400()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();

        var answer = await http.GetAsync($"/api/v1/namespaces/{ns}/pods?fieldSelector=metadata.name%3Dp%00metadata.name%3Dp").ExpectAsync(400);
        Assert.Contains("'metadata.name': the value holds a control character", (string?)answer["detail"]);
    }

    /// <summary>A strategic merge patch whose merge-keyed list held a string: looking for its $patch directive threw, a 500. Now a 422.</summary>
    [Fact]
    public async Task StrategicMergePatch_WithANonObjectListItem_Is422()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        await http.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod("x"))).ExpectAsync(201);
        using var client = new FuzzClient(host.BaseAddress, [new("Authorization", "Bearer " + host.AdminToken)]);

        var response = await client.SendAsync(new FuzzRequest("PATCH", $"/api/v1/namespaces/{ns}/pods/x")
            .WithBody("""{"spec":{"containers":["0"]}}""", "application/strategic-merge-patch+json"), CancellationToken.None);

        Assert.True(response.Status == 422, $"{response.Status}: {response.Body}");
        Assert.Contains("spec.containers: every item must be an object with its merge key \"name\"", (string?)JsonNode.Parse(response.Body)!["detail"]);
    }
}
