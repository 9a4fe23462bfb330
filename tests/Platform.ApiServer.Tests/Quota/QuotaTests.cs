using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Quota;

[Collection(ApiServerCollection.Name)]
public sealed class QuotaTests(PostgresFixture pg, KafkaFixture kafka)
{
    private static string Pod(string name, string cpu, string memory) => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
        spec:
          containers:
            - name: main
              image: nginx:1.25
              resources:
                requests:
                  cpu: {cpu}
                  memory: {memory}
        """;

    [Fact]
    public async Task PodCreate_BeyondQuota_Is403NamingTheQuotaAndAmounts()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        await http.PostAsync($"/api/v1/namespaces/{ns}/resourcequotas", Http.Yaml("""
            apiVersion: v1
            kind: ResourceQuota
            metadata:
              name: compute-quota
            spec:
              hard:
                pods: "3"
                requests.cpu: "1"
                requests.memory: 1Gi
            """)).ExpectAsync(201);
        var pods = $"/api/v1/namespaces/{ns}/pods";
        await http.PostAsync(pods, Http.Yaml(Pod("a", "400m", "256Mi"))).ExpectAsync(201);
        await http.PostAsync(pods, Http.Yaml(Pod("b", "500m", "256Mi"))).ExpectAsync(201);
        var cpu = await http.PostAsync(pods, Http.Yaml(Pod("c", "200m", "128Mi"))).ExpectAsync(403);
        Assert.Equal("exceeded quota: compute-quota, requested: requests.cpu=200m, used: requests.cpu=900m, limited: requests.cpu=1", (string?)cpu["detail"]);
        await http.PostAsync(pods, Http.Yaml(Pod("c", "100m", "128Mi"))).ExpectAsync(201);
        var count = await http.PostAsync(pods, Http.Yaml(Pod("d", "0", "1Mi"))).ExpectAsync(403);
        Assert.Contains("pods=1", (string?)count["detail"]);
        Assert.Contains("limited: pods=3", (string?)count["detail"]);
        var missing = await http.PostAsync(pods, Http.Yaml(Http.Pod("e"))).ExpectAsync(403);
        Assert.Contains("must specify requests.cpu", (string?)missing["detail"]);
    }
}
