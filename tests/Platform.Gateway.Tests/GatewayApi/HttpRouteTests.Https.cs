using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Resources;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Gateway.Tests.GatewayApi;

public sealed partial class HttpRouteTests
{
    [Fact]
    public async Task HttpsListeners_ServeTheirSecretsCertificateBySni_AndReportBadOrUngrantedRefs()
    {
        await using var a = await TestBackend.StartAsync("a");
        var (api, admin, gateway, gc) = await StartAsync(https: true);
        await using var _1 = api;
        using var _2 = admin;
        await using var _3 = gateway;
        var port = new Uri(gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Single(x => x.StartsWith("https://", StringComparison.Ordinal))).Port;
        var tls = new SniClient();
        var shopCert = tls.Certificate("shop.example.test");
        var sharedCert = tls.Certificate("shared.example.test");
        await admin.PostAsJsonAsync("/api/v1/namespaces/web/secrets", SniClient.TlsSecret("shop-tls", "web", shopCert)).ExpectAsync(201);
        await admin.PostAsJsonAsync("/api/v1/namespaces/shared/secrets", SniClient.TlsSecret("common-tls", "shared", sharedCert)).ExpectAsync(201);
        await ServiceAsync(admin, "web", "shop", a.Port);
        await ApplyAsync(admin, ResourceKinds.Gateway.CollectionPath("web"), $$$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: secure}
            spec:
              gatewayClassName: {{{gc}}}
              listeners:
              - {name: shop, port: 443, protocol: HTTPS, hostname: shop.example.test, tls: {mode: Terminate, certificateRefs: [{name: shop-tls}]}}
              - {name: ghost, port: 443, protocol: HTTPS, hostname: ghost.example.test, tls: {certificateRefs: [{kind: Secret, name: nope}]}}
              - {name: shared, port: 443, protocol: HTTPS, hostname: shared.example.test, tls: {certificateRefs: [{name: common-tls, namespace: shared}]}}
            """);
        await ApplyAsync(admin, ResourceKinds.HttpRoute.CollectionPath("web"), """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: secure}
            spec:
              parentRefs: [{name: secure}]
              rules: [{backendRefs: [{name: shop, port: 80}]}]
            """);

        var served = await Eventually.WaitAsync(async () => await tls.GetAsync(port, "shop.example.test", "/cart") is { Backend: "a" } r ? r : null,
            TimeSpan.FromSeconds(20), "the shop listener over HTTPS");
        Assert.Equal(shopCert.Thumbprint, served.Thumbprint);
        Assert.Equal(new Version(2, 0), (await tls.GetAsync(port, "shop.example.test", "/cart", http2: true))!.Version);
        // A listener whose Secret is missing, or in another namespace without a grant, has no certificate: the handshake fails.
        Assert.Null(await tls.GetAsync(port, "ghost.example.test", "/"));
        Assert.Null(await tls.GetAsync(port, "shared.example.test", "/"));

        var listeners = await Eventually.WaitAsync(async () =>
        {
            var o = JsonNode.Parse(await admin.GetStringAsync(ResourceKinds.Gateway.ObjectPath("web", "secure")))!;
            return o["status"]?["listeners"] is JsonArray { Count: 3 } l ? l : null;
        }, TimeSpan.FromSeconds(20), "the listeners' status");
        JsonNode Condition(JsonArray all, string listener, string type) =>
            all.First(l => (string?)l!["name"] == listener)!["conditions"]!.AsArray().First(c => (string?)c!["type"] == type)!;
        Assert.Equal("True", (string?)Condition(listeners, "shop", "ResolvedRefs")["status"]);
        Assert.Equal("True", (string?)Condition(listeners, "shop", "Programmed")["status"]);
        Assert.Equal("InvalidCertificateRef", (string?)Condition(listeners, "ghost", "ResolvedRefs")["reason"]);
        Assert.Equal("certificateRef Secret \"web/nope\" not found", (string?)Condition(listeners, "ghost", "ResolvedRefs")["message"]);
        Assert.Equal("False", (string?)Condition(listeners, "ghost", "Programmed")["status"]);
        Assert.Equal("RefNotPermitted", (string?)Condition(listeners, "shared", "ResolvedRefs")["reason"]);

        // A ReferenceGrant in the Secret's namespace lets the listener use it; a Secret created late is picked up.
        await ApplyAsync(admin, ResourceKinds.ReferenceGrant.CollectionPath("shared"), """
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: gateway-certs}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: web}]
              to: [{group: "", kind: Secret, name: common-tls}]
            """);
        var shared = await Eventually.WaitAsync(async () => await tls.GetAsync(port, "shared.example.test", "/") is { Backend: "a" } r ? r : null,
            TimeSpan.FromSeconds(20), "the granted Secret served");
        Assert.Equal(sharedCert.Thumbprint, shared.Thumbprint);
        var ghostCert = tls.Certificate("ghost.example.test");
        await admin.PostAsJsonAsync("/api/v1/namespaces/web/secrets", SniClient.TlsSecret("nope", "web", ghostCert)).ExpectAsync(201);
        Assert.Equal(ghostCert.Thumbprint, (await Eventually.WaitAsync(async () => await tls.GetAsync(port, "ghost.example.test", "/"),
            TimeSpan.FromSeconds(20), "the late Secret served"))!.Thumbprint);
        await Eventually.WaitAsync(async () =>
        {
            var o = JsonNode.Parse(await admin.GetStringAsync(ResourceKinds.Gateway.ObjectPath("web", "secure")))!;
            var all = o["status"]!["listeners"]!.AsArray();
            return all.All(l => (string?)Condition(all, (string)l!["name"]!, "ResolvedRefs")["status"] == "True") ? o : null;
        }, TimeSpan.FromSeconds(20), "every listener ResolvedRefs=True");
    }
}
