using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Api;

/// <summary>
/// client-go's metadata client: <c>as=PartialObjectMetadataList</c> lists and <c>as=PartialObjectMetadata</c> gets
/// answer metadata only — which is all a controller token may read of Secrets.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class PartialMetadataTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string ListAccept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
    private const string ObjectAccept = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";

    private static Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        return client.SendAsync(request);
    }

    [Fact]
    public async Task ControllerToken_ReadsSecretsMetadataOnly_AndNeverTheirData()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        await admin.PostAsync($"/api/v1/namespaces/{ns}/secrets", Http.Yaml("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  labels: {app: db}\nstringData:\n  password: hunter2\n")).ExpectAsync(201);
        var created = await admin.PostAsJsonAsync("/apis/auth.platform.io/v1/tokens", new { name = "quota-controller", role = "controller" }).ExpectAsync(201);
        using var controller = host.Client((string)created["token"]!);
        var secrets = $"/api/v1/namespaces/{ns}/secrets";

        var list = await GetAsync(controller, secrets, ListAccept).ExpectAsync(200);
        Assert.Equal(("meta.k8s.io/v1", "PartialObjectMetadataList"), ((string?)list["apiVersion"], (string?)list["kind"]));
        Assert.False(string.IsNullOrEmpty((string?)list["metadata"]!["resourceVersion"]));
        var item = Assert.Single(list["items"]!.AsArray())!.AsObject();
        Assert.Equal(["apiVersion", "kind", "metadata"], item.Select(kv => kv.Key).Order());
        Assert.Equal(("PartialObjectMetadata", "db", "db"), ((string?)item["kind"], (string?)item["metadata"]!["name"], (string?)item["metadata"]!["labels"]!["app"]));
        Assert.DoesNotContain("hunter2", list.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String("hunter2"u8), list.ToJsonString(), StringComparison.Ordinal);

        var one = await GetAsync(controller, $"{secrets}/db", ObjectAccept).ExpectAsync(200);
        Assert.Equal("PartialObjectMetadata", (string?)one["kind"]);
        Assert.Null(one["data"]);

        // The data itself stays out of reach.
        var refused = await GetAsync(controller, secrets, null).ExpectAsync(403);
        Assert.Contains("controllers may not access secrets (but read their metadata)", (string?)refused["detail"]);
        await GetAsync(controller, $"{secrets}/db", "application/json").ExpectAsync(403);
        await controller.DeleteAsync($"{secrets}/db").ExpectAsync(403);

        // Any kind answers metadata lists; the admin's plain list still carries the data.
        var configMaps = await GetAsync(admin, $"/api/v1/namespaces/{ns}/configmaps", ListAccept).ExpectAsync(200);
        Assert.Equal("PartialObjectMetadataList", (string?)configMaps["kind"]);
        var full = await GetAsync(admin, secrets, null).ExpectAsync(200);
        Assert.NotNull(full["items"]![0]!["data"]);
        Assert.IsType<JsonObject>(full["items"]![0]!["data"]);
    }
}
