using System.Net;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Storage;

[Collection(ApiServerCollection.Name)]
public sealed class ConcurrencyTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task TwoConcurrentUpdatesFromTheSameResourceVersion_ExactlyOneSucceeds_TheOtherGets409()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var url = $"/apis/apps/v1/namespaces/{ns}/replicasets";
        var yaml = """
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: rs
            spec:
              replicas: 1
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers: [{name: web, image: "nginx:1.25"}]
            """;
        for (var round = 0; round < 5; round++)
        {
            if (round == 0) await http.PostAsync(url, Http.Yaml(yaml)).ExpectAsync(201);
            var current = await http.GetAsync($"{url}/rs").ExpectAsync(200);
            var a = current.DeepClone().AsObject();
            var b = current.DeepClone().AsObject();
            a["spec"]!["replicas"] = 10 + round;
            b["spec"]!["replicas"] = 20 + round;
            var results = await Task.WhenAll(http.PutAsync($"{url}/rs", Http.Json(a)), http.PutAsync($"{url}/rs", Http.Json(b)));
            var codes = results.Select(r => r.StatusCode).Order().ToArray();
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], codes);
            var winner = results.Single(r => r.StatusCode == HttpStatusCode.OK);
            var stored = await http.GetAsync($"{url}/rs").ExpectAsync(200);
            Assert.Equal((int)(await winner.ReadObjectAsync())["spec"]!["replicas"]!, (int)stored["spec"]!["replicas"]!);
            var problem = await results.Single(r => r.StatusCode == HttpStatusCode.Conflict).ReadObjectAsync();
            Assert.Equal("Conflict", (string?)problem["reason"]);
        }
    }
}
