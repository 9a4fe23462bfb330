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
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>Headless Chromium on a page that records every console error, script error and failed request.</summary>
    private static async Task<(IPlaywright Playwright, IBrowser Browser, IPage Page, List<string> Problems)> OpenAsync(Uri baseUrl)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString() });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type is "error" or "warning") problems.Add(m.Text); };
        page.PageError += (_, e) => problems.Add(e);
        page.Response += (_, r) => { if (r.Status >= 400) problems.Add($"{r.Status} {r.Url}"); };
        return (playwright, browser, page, problems);
    }

    /// <summary>Opens <paramref name="path"/>, is sent to the sign-in form, signs in with the admin token and lands back there.</summary>
    private async Task SignInThroughTheFormAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        Assert.EndsWith("/signin", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await page.FillAsync("#token", fx.ApiServer.AdminToken);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**" + path);
    }

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
