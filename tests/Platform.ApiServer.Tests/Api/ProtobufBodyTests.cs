using System.Net.Http.Headers;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.ApiServer.Tests.Protobuf;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Api;

/// <summary>Kubernetes protobuf request bodies over HTTP: accepted where kube-apiserver accepts them, answered in JSON.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class ProtobufBodyTests(PostgresFixture pg, KafkaFixture kafka)
{
    private static ByteArrayContent Protobuf(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");
        return content;
    }

    private static byte[] ConfigMap(string name, string value, string? resourceVersion = null) => ProtoBuilder.Envelope("v1", "ConfigMap", o => o
        .Message(1, m =>
        {
            m.String(1, name);
            if (resourceVersion is not null) m.String(6, resourceVersion);
        })
        .Entry(2, "a", v => v.String(2, value)));

    [Fact]
    public async Task CreateReplaceAndDelete_InProtobuf_StoreWhatJsonWould_AndAnswerJson()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var configMaps = $"/api/v1/namespaces/{ns}/configmaps";

        using var created = await http.PostAsync(configMaps, Protobuf(ConfigMap("cm", "b")));
        Assert.Equal(201, (int)created.StatusCode);
        Assert.Equal("application/json", created.Content.Headers.ContentType?.MediaType);
        var cm = await created.ReadObjectAsync();
        Assert.Equal("b", (string?)cm["data"]!["a"]);

        var replaced = await http.PutAsync($"{configMaps}/cm", Protobuf(ConfigMap("cm", "c", (string?)cm["metadata"]!["resourceVersion"]))).ExpectAsync(200);
        Assert.Equal("c", (string?)replaced["data"]!["a"]);
        var stale = await http.PutAsync($"{configMaps}/cm", Protobuf(ConfigMap("cm", "d", (string?)cm["metadata"]!["resourceVersion"]))).ExpectAsync(409);
        Assert.Equal("Conflict", (string?)stale["reason"] ?? (string?)stale["title"]);

        // Secret data is bytes in protobuf and base64 in JSON; a *int32 of 0 stays 0 (kubectl create deployment --replicas=0).
        await http.PostAsync($"/api/v1/namespaces/{ns}/secrets", Protobuf(ProtoBuilder.Envelope("v1", "Secret", o => o
            .Message(1, m => m.String(1, "s"))
            .Entry(2, "bin", v => v.Bytes(2, [0, 1, 2, 0xff]))))).ExpectAsync(201);
        Assert.Equal("AAEC/w==", (string?)(await http.GetAsync($"/api/v1/namespaces/{ns}/secrets/s").ExpectAsync(200))["data"]!["bin"]);
        var zero = await http.PostAsync($"/apis/apps/v1/namespaces/{ns}/deployments",
            Protobuf(KubectlCaptures.Body("create deployment zero"))).ExpectAsync(201);
        Assert.Equal(0, (int)zero["spec"]!["replicas"]!);

        // kubectl's DELETE body is DeleteOptions of the resource's group-version, here a dry run.
        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"{configMaps}/cm")
        {
            Content = Protobuf(ProtoBuilder.Envelope("v1", "DeleteOptions", o => o.String(5, "All"))),
        };
        Assert.Equal(200, (int)(await http.SendAsync(delete)).StatusCode);
        await http.GetAsync($"{configMaps}/cm").ExpectAsync(200);
    }

    [Fact]
    public async Task ProtobufWhereKubernetesRefusesIt_Is415_AndMalformedProtobufIs400()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Protobuf(ConfigMap("cm", "b"))).ExpectAsync(201);

        var patch = await http.PatchAsync($"/api/v1/namespaces/{ns}/configmaps/cm", Protobuf(ConfigMap("cm", "c"))).ExpectAsync(415);
        Assert.Contains("application/merge-patch+json", (string?)patch["detail"]);

        var route = ProtoBuilder.Envelope("gateway.platform.io/v1", "Route", o => o.Message(1, m => m.String(1, "r")));
        var refused = await http.PostAsync($"/apis/gateway.platform.io/v1/namespaces/{ns}/routes", Protobuf(route)).ExpectAsync(415);
        Assert.Contains("not supported for gateway.platform.io/v1 objects; send application/json or application/yaml", (string?)refused["detail"]);

        var truncated = ConfigMap("cm2", "b")[..^3];
        var bad = await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Protobuf(truncated)).ExpectAsync(400);
        Assert.StartsWith("body: is not a Kubernetes protobuf object: ", (string?)bad["detail"]);

        var json = await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Protobuf("{\"kind\":\"ConfigMap\"}"u8.ToArray())).ExpectAsync(400);
        Assert.Contains("does not start with the 4 bytes k8s\\0", (string?)json["detail"]);
    }
}
