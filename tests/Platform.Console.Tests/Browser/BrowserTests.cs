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

    [Fact]
    public async Task SignIn_ThenAPodCreatedWithKubectlsApiAppearsOnTheEventsPage_WithoutReload()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fx.ConsoleAddress.ToString() });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type is "error" or "warning") problems.Add(m.Text); };
        page.PageError += (_, e) => problems.Add(e);
        page.Response += (_, r) => { if (r.Status >= 400) problems.Add($"{r.Status} {r.Url}"); };

        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();

        await page.GotoAsync($"/events?ns={ns}&kind=pods");
        Assert.EndsWith("/signin", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await page.FillAsync("#token", fx.ApiServer.AdminToken);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"**/events?ns={ns}&kind=pods");
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
}
