using Microsoft.Playwright;
using Platform.Console.Tests.Support;
using Platform.Testing.ApiServer;

namespace Platform.Console.Tests.Browser;

/// <summary>
/// The console in headless Chromium (Debian's <c>/usr/bin/chromium</c>, driven by Playwright; no browser is downloaded):
/// sign in through the form, open the live events page, and see a pod created elsewhere appear without a reload.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class BrowserTests(ConsoleFixture fx)
{
    private static Task<(IPlaywright Playwright, IBrowser Browser, IPage Page, List<string> Problems)> OpenAsync(Uri baseUrl) => Chromium.OpenAsync(baseUrl);

    private Task SignInThroughTheFormAsync(IPage page, string path) => Chromium.SignInThroughTheFormAsync(page, path, fx.ApiServer.AdminToken);

    [Fact]
    public async Task SignIn_ThenAPodCreatedWithKubectlsApiAppearsOnTheEventsPage_WithoutReload()
    {
        var (playwright, browser, page, problems) = await OpenAsync(fx.ConsoleAddress);
        using var _ = playwright;
        await using var __ = browser;
        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();

        await SignInThroughTheFormAsync(page, $"/events?ns={ns}&kind=pods");
        await Assertions.Expect(page.Locator("#events-state")).ToHaveTextAsync("live", new() { Timeout = 20_000 });

        await admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod("seen-live"))).ExpectAsync(201);
        var line = page.Locator("#events-list li", new() { HasTextString = $"{ns}/seen-live" });
        await Assertions.Expect(line).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        Assert.Contains("created", await line.InnerTextAsync(), StringComparison.Ordinal);

        // The text filter hides lines in the page and keeps itself in the URL.
        await page.FillAsync("#q", "no-such-pod");
        await Assertions.Expect(line).ToBeHiddenAsync();
        Assert.Contains("q=no-such-pod", page.Url, StringComparison.Ordinal);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task PodsPage_ShowsANewPodAndItsPhaseChange_WithoutReload()
    {
        var (playwright, browser, page, problems) = await OpenAsync(fx.ConsoleAddress);
        using var _ = playwright;
        await using var __ = browser;
        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();

        await SignInThroughTheFormAsync(page, $"/pods?ns={ns}");
        await Assertions.Expect(page.Locator("main .empty")).ToBeVisibleAsync();
        var marker = await page.EvaluateAsync<string>("() => (window.__sameDocument = 'yes')");
        await admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod("appears"))).ExpectAsync(201);
        var status = page.Locator($"tr[data-pod='{ns}/appears'] td.status");
        await Assertions.Expect(status).ToHaveTextAsync("Pending", new() { Timeout = 30_000 });
        await admin.PatchAsync($"/api/v1/namespaces/{ns}/pods/appears/status", """{"status":{"phase":"Running"}}""").ExpectAsync(200);
        await Assertions.Expect(status).ToHaveTextAsync("Running", new() { Timeout = 30_000 });
        // The same document all along: the page was updated in place, not reloaded.
        Assert.Equal(marker, await page.EvaluateAsync<string>("() => window.__sameDocument"));
        Assert.Empty(problems);
    }
}
