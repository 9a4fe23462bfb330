using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Gateway.Tests.GatewayApi;

/// <summary>
/// Listeners bind real ports: a route attached through a listener answers on that listener's port only, and only HTTPRoutes
/// answer on a port bound for listeners.
/// </summary>
public sealed partial class HttpRouteTests
{
    [Fact]
    public async Task Listeners_ServeTheirRoutesOnlyOnTheirPorts_AndARemovedListenerClosesItsPort()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        var (api, admin, gateway, gc) = await StartAsync();
        await using var _1 = api;
        using var _2 = admin;
        await using var _3 = gateway;
        var extra = Network.FreeTcpPort();
        await ServiceAsync(admin, "web", "svc-a", a.Port);
        await ServiceAsync(admin, "web", "svc-b", b.Port);
        await ApplyAsync(admin, ResourceKinds.Gateway.CollectionPath("web"), $$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: ports}
            spec:
              gatewayClassName: {{gc}}
              listeners:
              - {name: web, port: 80, protocol: HTTP}
              - {name: extra, port: {{extra}}, protocol: HTTP}
            """);
        foreach (var (name, section, backend) in new[] { ("route-a", "web", "svc-a"), ("route-b", "extra", "svc-b") })
            await ApplyAsync(admin, ResourceKinds.HttpRoute.CollectionPath("web"), $$"""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: {{name}}}
                spec:
                  parentRefs: [{name: ports, sectionName: {{section}}}]
                  hostnames: [{{name}}.example.com]
                  rules: [{backendRefs: [{name: {{backend}}, port: 80}]}]
                """);

        // A Route resource: served on the gateway's own port, not on a Gateway's.
        await ApplyAsync(admin, ResourceKinds.Route.CollectionPath("web"), $$"""
            apiVersion: gateway.platform.io/v1
            kind: Route
            metadata: {name: legacy}
            spec:
              uri: http://127.0.0.1:{{a.Port}}
              predicates: [Path=/legacy/**]
            """);
        using var extraClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{extra}"), Timeout = TimeSpan.FromSeconds(10) };
        // Port 80 is the gateway's HTTP port (Gateway:GatewayApi:ListenerPorts' default); the extra port is bound as itself.
        await Eventually.WaitAsync(async () => await BackendAsync(gateway, "route-a.example.com", "/") == "a", TimeSpan.FromSeconds(20), "route-a on the HTTP port");
        await Eventually.WaitAsync(async () => await BackendAsync(extraClient, "route-b.example.com", "/") == "b", TimeSpan.FromSeconds(20), $"route-b on port {extra}");
        Assert.Equal("status 404", await BackendAsync(extraClient, "route-a.example.com", "/"));
        Assert.Equal("status 404", await BackendAsync(gateway, "route-b.example.com", "/"));
        Assert.Equal("a", await BackendAsync(gateway, "route-a.example.com", "/"));
        await Eventually.WaitAsync(async () => await BackendAsync(gateway, "any.example.com", "/legacy/x") == "a", TimeSpan.FromSeconds(20), "the Route resource");
        Assert.Equal("status 404", await BackendAsync(extraClient, "any.example.com", "/legacy/x"));
        // The gateway's own endpoints stay on its own ports: on a listener's port /healthz is the HTTPRoute's like any path.
        Assert.Equal("b", await BackendAsync(extraClient, "route-b.example.com", "/healthz"));
        foreach (var path in new[] { "/healthz", "/metrics", "/actuator/gateway/routes" })
            Assert.Equal("status 404", await BackendAsync(extraClient, "any.example.com", path));
        using (var health = await gateway.Client.GetAsync("/healthz")) Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var listeners = await ListenersAsync(admin, "ports", l => l.Count == 2 && l.All(x => (int?)x!["attachedRoutes"] == 1));
        Assert.All(listeners, l => Assert.Equal("True", Condition(l!, "Programmed")));

        // The listener removed, its port closes; the gateway's own port keeps serving.
        await admin.PatchAsync(ResourceKinds.Gateway.ObjectPath("web", "ports"),
            """{"spec":{"listeners":[{"name":"web","port":80,"protocol":"HTTP"}]}}""").ExpectAsync(200);
        await Eventually.WaitAsync(async () => await RefusedAsync(extra), TimeSpan.FromSeconds(20), $"port {extra} closed");
        Assert.Equal("a", await BackendAsync(gateway, "route-a.example.com", "/"));
    }

    [Fact]
    public async Task ListenerOnAHeldPort_IsPortUnavailable_UntilFreed_AndListenersMixingProtocolsOnAPort_AreConflicted()
    {
        await using var a = await TestBackend.StartAsync("a");
        var (api, admin, gateway, gc) = await StartAsync();
        await using var _1 = api;
        using var _2 = admin;
        await using var _3 = gateway;
        var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var held = ((IPEndPoint)blocker.LocalEndpoint).Port;
        var shared = Network.FreeTcpPort();
        await ServiceAsync(admin, "web", "svc-a", a.Port);
        await ApplyAsync(admin, ResourceKinds.Gateway.CollectionPath("web"), $$$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: busy}
            spec:
              gatewayClassName: {{{gc}}}
              listeners:
              - {name: web, port: 80, protocol: HTTP}
              - {name: held, port: {{{held}}}, protocol: HTTP}
              - {name: plain, port: {{{shared}}}, protocol: HTTP}
              - name: secure
                port: {{{shared}}}
                protocol: HTTPS
                tls: {certificateRefs: [{name: none}]}
            """);
        await ApplyAsync(admin, ResourceKinds.HttpRoute.CollectionPath("web"), """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: held}
            spec:
              parentRefs: [{name: busy, sectionName: held}, {name: busy, sectionName: plain}]
              rules: [{backendRefs: [{name: svc-a, port: 80}]}]
            """);

        var listeners = await ListenersAsync(admin, "busy", l => l.Count == 4 && Reason(Find(l, "held"), "Accepted") == "PortUnavailable");
        Assert.Equal("False", Condition(Find(listeners, "held"), "Accepted"));
        Assert.Equal("False", Condition(Find(listeners, "held"), "Programmed"));
        Assert.StartsWith($"port {held} cannot be bound on 127.0.0.1", Message(Find(listeners, "held"), "Accepted"));
        Assert.Equal("True", Condition(Find(listeners, "web"), "Accepted"));
        foreach (var name in new[] { "plain", "secure" })
        {
            Assert.Equal(("True", "ProtocolConflict"), (Condition(Find(listeners, name), "Conflicted"), Reason(Find(listeners, name), "Conflicted")));
            Assert.Equal("False", Condition(Find(listeners, name), "Accepted"));
        }
        var gw = JsonNode.Parse(await admin.GetStringAsync(ResourceKinds.Gateway.ObjectPath("web", "busy")))!;
        var accepted = gw["status"]!["conditions"]!.AsArray().First(c => (string?)c!["type"] == "Accepted")!;
        Assert.Equal(("True", "ListenersNotValid"), ((string?)accepted["status"], (string?)accepted["reason"]));
        // Conflicted listeners bind nothing, and the route attached through them is served on no port.
        Assert.True(await RefusedAsync(shared));
        Assert.Equal("status 404", await BackendAsync(gateway, "any.example.com", "/"));

        // The other socket gone, the port is bound and the listener accepted.
        blocker.Stop();
        await ListenersAsync(admin, "busy", l => Condition(Find(l, "held"), "Accepted") == "True");
        using var heldClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{held}"), Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.WaitAsync(async () => await BackendAsync(heldClient, "any.example.com", "/") == "a", TimeSpan.FromSeconds(20), $"the route on port {held}");
    }

    [Fact]
    public async Task ListenerPortKestrelFailsToBind_IsPortUnavailable_AndServedOnceFreed()
    {
        // On "localhost" Kestrel binds a listener's port on 127.0.0.1 and ::1; the probe before binding checks 127.0.0.1, so a
        // socket on [::1] passes it and only Kestrel's bind fails (logged, in the background).
        await using var a = await TestBackend.StartAsync("a");
        var (api, admin, gateway, gc) = await StartAsync(ownUrl: $"http://localhost:{Network.FreeTcpPort()}");
        await using var _1 = api;
        using var _2 = admin;
        await using var _3 = gateway;
        var port = Network.FreeTcpPort();
        var blocker = new TcpListener(IPAddress.IPv6Loopback, port);
        blocker.Start();
        try
        {
            await ServiceAsync(admin, "web", "svc-a", a.Port);
            await ApplyAsync(admin, ResourceKinds.Gateway.CollectionPath("web"), $$"""
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: v6}
                spec:
                  gatewayClassName: {{gc}}
                  listeners:
                  - {name: web, port: 80, protocol: HTTP}
                  - {name: both, port: {{port}}, protocol: HTTP}
                """);
            await ApplyAsync(admin, ResourceKinds.HttpRoute.CollectionPath("web"), """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: both}
                spec:
                  parentRefs: [{name: v6, sectionName: both}]
                  rules: [{backendRefs: [{name: svc-a, port: 80}]}]
                """);

            var listeners = await ListenersAsync(admin, "v6", l => l.Count == 2 && Reason(Find(l, "both"), "Accepted") == "PortUnavailable");
            Assert.Equal("False", Condition(Find(listeners, "both"), "Programmed"));
            Assert.StartsWith($"port {port} could not be bound on localhost", Message(Find(listeners, "both"), "Accepted"));
            Assert.Contains("::1: Address already in use", Message(Find(listeners, "both"), "Accepted"));
            Assert.Equal("True", Condition(Find(listeners, "web"), "Programmed"));
        }
        finally
        {
            blocker.Stop();
        }

        // The other socket gone, the next attempt binds the port and the listener is programmed.
        await ListenersAsync(admin, "v6", l => Condition(Find(l, "both"), "Programmed") == "True");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.WaitAsync(async () => await BackendAsync(client, "any.example.com", "/") == "a", TimeSpan.FromSeconds(20), $"the route on port {port}");
    }

    [Fact]
    public async Task AnHttpsListenerOnItsOwnPort_AnswersWithItsCertificateBySni()
    {
        await using var a = await TestBackend.StartAsync("a");
        var (api, admin, gateway, gc) = await StartAsync();
        await using var _1 = api;
        using var _2 = admin;
        await using var _3 = gateway;
        var port = Network.FreeTcpPort();
        var tls = new SniClient();
        var cert = tls.Certificate("shop.example.test");
        await admin.PostAsJsonAsync("/api/v1/namespaces/web/secrets", SniClient.TlsSecret("shop-tls", "web", cert)).ExpectAsync(201);
        await ServiceAsync(admin, "web", "shop", a.Port);
        await ApplyAsync(admin, ResourceKinds.Gateway.CollectionPath("web"), $$$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: secure}
            spec:
              gatewayClassName: {{{gc}}}
              listeners:
              - name: shop
                port: {{{port}}}
                protocol: HTTPS
                hostname: shop.example.test
                tls: {certificateRefs: [{name: shop-tls}]}
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
            TimeSpan.FromSeconds(20), $"the HTTPS listener on port {port}");
        Assert.Equal(cert.Thumbprint, served.Thumbprint);
        Assert.Equal(new Version(2, 0), (await tls.GetAsync(port, "shop.example.test", "/cart", http2: true))!.Version);
        // Not on the gateway's plain port: the route is the HTTPS listener's.
        Assert.Equal("status 404", await BackendAsync(gateway, "shop.example.test", "/"));
    }

    private static async Task<bool> RefusedAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }

    private static Task<JsonArray> ListenersAsync(HttpClient admin, string gateway, Func<JsonArray, bool> until) =>
        Eventually.WaitAsync(async () =>
        {
            var o = JsonNode.Parse(await admin.GetStringAsync(ResourceKinds.Gateway.ObjectPath("web", gateway)))!;
            return o["status"]?["listeners"] is JsonArray l && until(l) ? l : null;
        }, TimeSpan.FromSeconds(20), $"the listeners of Gateway {gateway}");

    private static JsonNode Find(JsonArray listeners, string name) => listeners.First(l => (string?)l!["name"] == name)!;

    private static JsonNode? ConditionOf(JsonNode listener, string type) =>
        listener["conditions"]!.AsArray().FirstOrDefault(c => (string?)c!["type"] == type);

    private static string? Condition(JsonNode listener, string type) => (string?)ConditionOf(listener, type)?["status"];
    private static string? Reason(JsonNode listener, string type) => (string?)ConditionOf(listener, type)?["reason"];
    private static string? Message(JsonNode listener, string type) => (string?)ConditionOf(listener, type)?["message"];
}
