using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using Platform.Console.Tests.Pages;
using Platform.Console.Tests.Support;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Console.Tests.Browser;

/// <summary>
/// The must-show scenarios in headless Chromium, each in one document (a marker set on <c>window</c> survives,
/// so nothing was reloaded): a rollout watched live, a new route's request count rising under load through the real
/// gateway, an instance leaving the registry page, and Refresh pressed on a config application.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ScenarioTests(ConsoleFixture fx)
{
    private static readonly LocatorAssertionsToHaveTextOptions Live = new() { Timeout = 30_000 };

    private static Task<string> MarkAsync(IPage page) => page.EvaluateAsync<string>("() => (window.__sameDocument = 'yes')");

    private static async Task AssertSameDocumentAsync(IPage page, string marker) =>
        Assert.Equal(marker, await page.EvaluateAsync<string>("() => window.__sameDocument"));

    [Fact]
    public async Task Workloads_ARolloutIsWatchedLive_UntilTheLastPodIsReady()
    {
        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();
        await admin.PostAsync($"/apis/apps/v1/namespaces/{ns}/deployments", Http.Yaml(WorkloadsPageTests.Deployment("web", replicas: 2))).ExpectAsync(201);
        foreach (var pod in (string[])["web-a", "web-b"])
            await admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod(pod))).ExpectAsync(201);
        // What the node agent and the controller-manager write while the rollout runs: one pod Ready, then both.
        await SetReadyAsync(admin, ns, "web-a");
        var status = $"/apis/apps/v1/namespaces/{ns}/deployments/web/status";
        await admin.PatchAsync(status, """{"status":{"observedGeneration":1,"replicas":2,"updatedReplicas":2,"readyReplicas":1,"availableReplicas":1}}""").ExpectAsync(200);

        var (playwright, browser, page, problems) = await Chromium.OpenAsync(fx.ConsoleAddress);
        using var _ = playwright;
        await using var __ = browser;
        await Chromium.SignInThroughTheFormAsync(page, $"/workloads?ns={ns}", fx.ApiServer.AdminToken);
        var row = page.Locator($"tr[data-workload='deployments/{ns}/web']");
        await Assertions.Expect(row.Locator("td.ready")).ToHaveTextAsync("1/2");
        await Assertions.Expect(row).ToContainTextAsync("2 of 2 updated, 1 ready");
        var marker = await MarkAsync(page);

        await SetReadyAsync(admin, ns, "web-b");
        await admin.PatchAsync(status, """{"status":{"readyReplicas":2,"availableReplicas":2}}""").ExpectAsync(200);
        await Assertions.Expect(row.Locator("td.ready")).ToHaveTextAsync("2/2", Live);
        await Assertions.Expect(row.Locator("td.ok")).ToHaveTextAsync("complete", Live);
        await AssertSameDocumentAsync(page, marker);
        Assert.Empty(problems);
    }

    private static async Task SetReadyAsync(HttpClient admin, string ns, string pod) =>
        await admin.PatchAsync($"/api/v1/namespaces/{ns}/pods/{pod}/status",
            """{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}],"containerStatuses":[{"name":"main","ready":true,"restartCount":0,"image":"nginx:1.25","imageID":"","state":{"running":{}}}]}}""").ExpectAsync(200);

    [Fact]
    public async Task Routes_ANewRouteAppears_AndItsRequestCountRisesUnderLoad()
    {
        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();
        var (playwright, browser, page, problems) = await Chromium.OpenAsync(fx.ConsoleAddress);
        using var _ = playwright;
        await using var __ = browser;
        await Chromium.SignInThroughTheFormAsync(page, $"/routes?ns={ns}", fx.ApiServer.AdminToken);
        await Assertions.Expect(page.Locator("main .empty").First).ToContainTextAsync("No Route resources");
        var marker = await MarkAsync(page);

        // The route arrives on the page through the live stream; the gateway serves it (probed until it answers).
        using var gateway = await RouteFiguresPageTests.ServedRouteAsync(fx, admin, ns, "live", fx.ConsoleAddress);
        var requests = page.Locator($"tr[data-route='{ns}/live'] td.requests");
        await Assertions.Expect(requests).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(requests).Not.ToHaveTextAsync("—", Live);
        var before = int.Parse(await requests.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

        for (var i = 0; i < 25; i++) (await gateway.GetAsync($"/{ns}/load-{i}")).Dispose();
        // At least 25 more: the first figure read may predate the gateway probe's last request by one scrape.
        await Eventually.WaitAsync(async () => int.TryParse(await requests.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture, out var now) && now >= before + 25,
            TimeSpan.FromSeconds(30), "the route's request count rises by the 25 requests sent");
        await Assertions.Expect(page.Locator($"tr[data-route='{ns}/live'] td.rate")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("/s$"), Live);
        await AssertSameDocumentAsync(page, marker);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Registry_AnInstanceThatLeaves_DisappearsFromThePage()
    {
        var app = "LEAVING-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        using var eureka = new HttpClient { BaseAddress = fx.EurekaAddress };
        eureka.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ConsoleFixture.EurekaUser}:{ConsoleFixture.EurekaPassword}")));
        foreach (var id in (string[])["1", "2"])
        {
            using var registered = await eureka.PostAsync($"apps/{app}", Http.Json($$$$"""
                {"instance":{"instanceId":"{{{{app}}}}-{{{{id}}}}","hostName":"127.0.0.1","app":"{{{{app}}}}","ipAddr":"127.0.0.1","status":"UP",
                 "port":{"$":808{{{{id}}}},"@enabled":"true"},"dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"}}}
                """));
            Assert.Equal(HttpStatusCode.NoContent, registered.StatusCode);
        }
        var (playwright, browser, page, problems) = await Chromium.OpenAsync(fx.ConsoleAddress);
        using var _ = playwright;
        await using var __ = browser;
        await Chromium.SignInThroughTheFormAsync(page, "/registry", fx.ApiServer.AdminToken);
        var leaving = page.Locator($"tr[data-instance='{app}/{app}-1']");
        var staying = page.Locator($"tr[data-instance='{app}/{app}-2']");
        await Assertions.Expect(leaving).ToHaveCountAsync(1);
        var marker = await MarkAsync(page);

        // What a Spring app's shutdown (or the platform deregistering a dead pod) does: cancel the lease.
        using (var cancelled = await eureka.DeleteAsync($"apps/{app}/{app}-1"))
            Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        await Assertions.Expect(leaving).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Assertions.Expect(staying).ToHaveCountAsync(1);
        await AssertSameDocumentAsync(page, marker);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Config_PressingRefresh_PublishesTheBusEvent()
    {
        var app = "cfg-browser-" + Guid.NewGuid().ToString("N")[..8];
        fx.ConfigServer.Write($"{app}.yml", "feature:\n  enabled: true\n");
        var (playwright, browser, page, problems) = await Chromium.OpenAsync(fx.ConsoleAddress);
        using var _ = playwright;
        await using var __ = browser;
        await Chromium.SignInThroughTheFormAsync(page, $"/config?app={app}", fx.ApiServer.AdminToken);
        await Assertions.Expect(page.Locator("tr[data-key='feature.enabled']")).ToContainTextAsync("true");

        await page.ClickAsync("#refresh-app");
        await Assertions.Expect(page.Locator("p.flash")).ToHaveTextAsync($"refresh sent to {app}:** on the config bus", Live);
        Assert.Contains($"app={app}", page.Url, StringComparison.Ordinal);
        var events = fx.Kafka.ConsumeMany(fx.ConfigServer.BusTopic, 1, TimeSpan.FromSeconds(20),
            r => Encoding.UTF8.GetString(r.Message.Value).Contains($"\"destinationService\":\"{app}:**\"", StringComparison.Ordinal));
        Assert.Single(events);
        Assert.Empty(problems);
    }
}
