using Microsoft.Playwright;
using Platform.Console.Tests.Support;
using Platform.Testing.ApiServer;

namespace Platform.Console.Tests.Browser;

/// <summary>
/// Every page through axe-core in headless Chromium: no serious or critical violation, with every disclosure
/// (<c>&lt;details&gt;</c>) open so the rollout history and its Undo buttons are checked too. Each page's screenshot
/// is written to <c>CONSOLE_SCREENSHOTS</c> (docs/console/ when the docs are refreshed) or to the test's output folder.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class AccessibilityTests(ConsoleFixture fx)
{
    [Fact]
    public async Task EveryPage_HasNoSeriousOrCriticalAxeViolations()
    {
        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();
        var deployment = await admin.PostAsync($"/apis/apps/v1/namespaces/{ns}/deployments", Http.Yaml("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, annotations: {"deployment.kubernetes.io/revision": "2"}}
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: main, image: "nginx:1.26"}]}
            """)).ExpectAsync(201);
        await Pages.RolloutHistoryTests.ReplicaSetAsync(admin, ns, deployment, 1, "nginx:1.25", "first release");
        await Pages.RolloutHistoryTests.ReplicaSetAsync(admin, ns, deployment, 2, "nginx:1.26", "bump to 1.26");
        await admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod("web-1"))).ExpectAsync(201);
        await admin.PostAsync($"/apis/gateway.platform.io/v1/namespaces/{ns}/routes", Http.Yaml("""
            apiVersion: gateway.platform.io/v1
            kind: Route
            metadata: {name: web}
            spec: {uri: "lb://web", predicates: ["Path=/web/**"], filters: ["StripPrefix=1"]}
            """)).ExpectAsync(201);

        await admin.PostAsync($"/apis/kafka.platform.io/v1/namespaces/{ns}/kafkaconnectors", Http.Yaml("""
            apiVersion: kafka.platform.io/v1
            kind: KafkaConnector
            metadata: {name: orders-sink}
            spec: {class: JdbcSink, tasksMax: 2, config: {topics: orders, connection.password: not-shown}}
            """)).ExpectAsync(201);

        // Figures on the routes page: requests through the real gateway to a served route, and to lb://web, which has no instance (503).
        using var gateway = await Pages.RouteFiguresPageTests.ServedRouteAsync(fx, admin, ns, "health", fx.ConsoleAddress);
        for (var i = 0; i < 30; i++) (await gateway.GetAsync(i % 10 == 0 ? "/web/x" : $"/{ns}/x")).Dispose();
        var cipher = await fx.ConfigServer.EncryptAsync("not-shown-either");
        fx.ConfigServer.Write("orders.yml", $"orders:\n  page-size: 20\n  region: eu\nspring:\n  datasource:\n    url: jdbc:postgresql://db:5432/orders\n    password: '{{cipher}}{cipher}'\napi:\n  token: not-shown\n");
        fx.ConfigServer.Write("orders-dev.yml", "orders:\n  page-size: 50\n");

        var (playwright, browser, page, _) = await Chromium.OpenAsync(fx.ConsoleAddress, bypassCsp: true);
        using var _p = playwright;
        await using var _b = browser;
        var shots = Environment.GetEnvironmentVariable("CONSOLE_SCREENSHOTS") is { Length: > 0 } d ? d : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(shots);
        var found = new List<string>();

        async Task CheckAsync(string name)
        {
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            // The screenshot shows the rollout history open; axe then sees every disclosure open.
            await page.EvaluateAsync("() => document.querySelectorAll('details.history').forEach(d => d.open = true)");
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, name + ".png"), FullPage = true });
            await page.EvaluateAsync("() => document.querySelectorAll('details').forEach(d => d.open = true)");
            found.AddRange((await AxeCore.SeriousViolationsAsync(page)).Select(v => $"{name}: {v}"));
        }

        await page.GotoAsync("/signin");
        await CheckAsync("signin");
        await Chromium.SignInThroughTheFormAsync(page, $"/?ns={ns}", fx.ApiServer.AdminToken);
        foreach (var (name, path) in new[]
        {
            ("overview", $"/?ns={ns}"), ("workloads", $"/workloads?ns={ns}"), ("pods", $"/pods?ns={ns}"), ("pod", $"/pods/{ns}/web-1"),
            ("routes", $"/routes?ns={ns}"), ("registry", "/registry"), ("topics", $"/topics?q={fx.ApiServer.TopicPrefix}"), ("connectors", $"/connectors?ns={ns}"),
            ("config", "/config?app=orders&profile=dev"), ("events", $"/events?ns={ns}"),
        })
        {
            await page.GotoAsync(path);
            await CheckAsync(name);
        }
        Assert.True(found.Count == 0, "axe-core found serious or critical violations:\n" + string.Join("\n", found));
    }
}
