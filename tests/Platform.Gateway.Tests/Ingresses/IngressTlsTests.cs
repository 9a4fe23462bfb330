using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Registry;
using Platform.Contracts.Resources;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Gateway.Tests.Ingresses;

/// <summary>
/// Ingress TLS from a Secret: the gateway's HTTPS listener answers each host with the certificate of the Ingress that
/// names it (SNI), over HTTP/1.1 and HTTP/2; a renewed Secret is served on the next connection; a missing one is a
/// Warning event; a name no Ingress covers gets no certificate.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class IngressTlsTests(KafkaFixture kafka, PostgresFixture pg) : IClassFixture<PostgresFixture>
{
    private const string Host = "shop.example.test";
    private readonly SniClient _tls = new();

    [Fact]
    public async Task TlsSecretOfAnIngress_IsServedForItsHost_RenewedWithTheSecret_AndAMissingSecretIsReported()
    {
        await using var shop = await TestBackend.StartAsync("shop");
        await using var apiServer = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = apiServer.AdminClient();
        await admin.CreateNamespaceAsync("team-tls");
        await using var registry = await RegistryStack.StartAsync(kafka.BootstrapServers, kafka.CreateTopic("registry"));
        await registry.RegisterServiceInstanceAsync(new ServiceApplication("shop", "team-tls"), "shop-1", shop.Port);
        await using var gateway = await GatewayHost.StartAsync("spring:\n  cloud:\n    gateway:\n      routes: []\n", new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Gateway:Discovery:EurekaUrl"] = registry.EurekaUrl,
            ["Gateway:RegistryTopic"] = registry.Topic,
            ["Gateway:RoutesTopic"] = apiServer.Topic(ResourceKinds.Route),
            ["Gateway:Routes:ApiServerUrl"] = apiServer.BaseAddress.ToString(),
            ["Gateway:Routes:Token"] = apiServer.AdminToken,
            ["Gateway:Auth:ApiKeySecrets:Topic"] = apiServer.Topic(ResourceKinds.Secret),
            ["Gateway:Ingress:HttpsUrl"] = "https://127.0.0.1:0",
        });
        var https = new Uri(gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal)));

        var first = _tls.Certificate(Host);
        await admin.PostAsJsonAsync("/api/v1/namespaces/team-tls/secrets", SniClient.TlsSecret("shop-tls", "team-tls", first)).ExpectAsync(201);
        await admin.PostAsJsonAsync(ResourceKinds.Ingress.CollectionPath("team-tls"), Ingress("shop", "shop-tls")).ExpectAsync(201);

        var served = await Eventually.WaitAsync(async () => await _tls.GetAsync(https.Port, Host, "/cart") is { Backend: "shop" } r ? r : null,
            TimeSpan.FromSeconds(20), "the shop host over HTTPS");
        Assert.Equal(first.Thumbprint, served.Thumbprint);
        Assert.Equal(new Version(2, 0), (await _tls.GetAsync(https.Port, Host, "/cart", http2: true))!.Version);
        // The plain port still serves the same routes.
        using (var plain = new HttpRequestMessage(HttpMethod.Get, "/cart") { Headers = { Host = Host } })
        using (var r = await gateway.Client.SendAsync(plain))
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        // No Ingress covers this name and none gave a fallback: no certificate, the handshake fails.
        Assert.Null(await _tls.GetAsync(https.Port, "other.example.test", "/"));

        var renewed = _tls.Certificate(Host);
        await admin.PutAsJsonAsync("/api/v1/namespaces/team-tls/secrets/shop-tls", SniClient.TlsSecret("shop-tls", "team-tls", renewed)).ExpectAsync(200);
        await Eventually.WaitAsync(async () => (await _tls.GetAsync(https.Port, Host, "/cart"))?.Thumbprint == renewed.Thumbprint ? "" : null,
            TimeSpan.FromSeconds(20), "the renewed certificate served");

        await admin.PostAsJsonAsync(ResourceKinds.Ingress.CollectionPath("team-tls"), Ingress("late", "not-there")).ExpectAsync(201);
        var warning = await Eventually.WaitAsync(async () =>
        {
            var list = JsonNode.Parse(await admin.GetStringAsync("/api/v1/namespaces/team-tls/events"))!["items"]!.AsArray();
            return list.FirstOrDefault(e => (string?)e?["involvedObject"]?["name"] == "late" && (string?)e?["reason"] == "TLSSecret");
        }, TimeSpan.FromSeconds(15), "a TLSSecret warning on the Ingress naming a missing Secret");
        Assert.Equal("spec.tls: secret \"team-tls/not-there\" not found: its hosts are not served over HTTPS", (string?)warning["message"]);
    }

    private static JsonObject Ingress(string name, string secret) => new()
    {
        ["apiVersion"] = "networking.k8s.io/v1", ["kind"] = "Ingress",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "team-tls" },
        ["spec"] = new JsonObject
        {
            ["tls"] = new JsonArray(new JsonObject { ["hosts"] = new JsonArray(name == "shop" ? Host : $"{name}.example.test"), ["secretName"] = secret }),
            ["rules"] = new JsonArray(new JsonObject
            {
                ["host"] = name == "shop" ? Host : $"{name}.example.test",
                ["http"] = new JsonObject { ["paths"] = new JsonArray(new JsonObject
                {
                    ["path"] = "/", ["pathType"] = "Prefix",
                    ["backend"] = new JsonObject { ["service"] = new JsonObject { ["name"] = "shop", ["port"] = new JsonObject { ["number"] = 80 } } },
                }) },
            }),
        },
    };
}
