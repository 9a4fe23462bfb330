using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Platform.Console.Tests.Support;
using Platform.Testing.ApiServer;

namespace Platform.Console.Tests.Pages;

[Collection(ConsoleCollection.Name)]
public sealed class RoutesAndRegistryPageTests(ConsoleFixture fx)
{
    [Fact]
    public async Task Routes_ShowPredicatesFiltersAndTheGatewaysConditions()
    {
        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();
        await admin.PostAsync($"/apis/gateway.platform.io/v1/namespaces/{ns}/routes", Http.Yaml("""
            apiVersion: gateway.platform.io/v1
            kind: Route
            metadata:
              name: orders
            spec:
              uri: http://127.0.0.1:9
              order: 5
              predicates:
                - Path=/orders/**
              filters:
                - AddRequestHeader=X-Applied-By, console
            """)).ExpectAsync(201);
        using var browser = fx.Browser();
        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();

        var (status, html) = await browser.GetAsync($"/routes?ns={ns}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"data-route=\"{ns}/orders\"", html, StringComparison.Ordinal);
        Assert.Contains("<code>Path=/orders/**</code>", html, StringComparison.Ordinal);
        Assert.Contains("<code>AddRequestHeader=X-Applied-By, console</code>", html, StringComparison.Ordinal);
        Assert.Contains("no status yet", html, StringComparison.Ordinal);

        await admin.PatchAsync($"/apis/gateway.platform.io/v1/namespaces/{ns}/routes/orders/status", """
            {"status":{"conditions":[{"type":"Accepted","status":"True","reason":"Accepted","message":"served","lastTransitionTime":"2026-12-05T10:00:00Z"},
                                     {"type":"ResolvedRefs","status":"False","reason":"BackendNotFound","message":"no instance","lastTransitionTime":"2026-12-05T10:00:00Z"}]}}
            """).ExpectAsync(200);
        html = (await browser.GetAsync($"/routes?ns={ns}")).Html;
        Assert.Contains("Accepted=True (Accepted)", html, StringComparison.Ordinal);
        Assert.Contains("ResolvedRefs=False (BackendNotFound)", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registry_ShowsInstancesToAClusterViewer_AndRefusesANamespacedOne()
    {
        var app = "CONSOLE-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        using (var eureka = new HttpClient { BaseAddress = fx.EurekaAddress })
        {
            eureka.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ConsoleFixture.EurekaUser}:{ConsoleFixture.EurekaPassword}")));
            using var registered = await eureka.PostAsync($"apps/{app}", Http.Json($$$$"""
                {"instance":{"instanceId":"{{{{app}}}}-1","hostName":"127.0.0.1","app":"{{{{app}}}}","ipAddr":"127.0.0.1","status":"UP",
                 "port":{"$":8081,"@enabled":"true"},"dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"}}}
                """));
            Assert.Equal(HttpStatusCode.NoContent, registered.StatusCode);
        }
        using var browser = fx.Browser();
        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();
        var (status, html) = await browser.GetAsync("/registry");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"data-instance=\"{app}/{app}-1\"", html, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:8081", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"ok\">UP</td>", html, StringComparison.Ordinal);

        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();
        using var viewer = fx.Browser();
        (await viewer.SignInAsync(await fx.ServiceAccountTokenAsync(ns, "dev", "view"))).Dispose();
        var (refused, text) = await viewer.GetAsync("/registry");
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Contains("needs list on endpointslices.discovery.k8s.io in every namespace", text, StringComparison.Ordinal);
        Assert.DoesNotContain(app, text, StringComparison.Ordinal);
    }
}
