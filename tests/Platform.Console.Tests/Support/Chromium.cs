using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Platform.Console.Tests.Support;

/// <summary>Headless Chromium (Debian's <c>/usr/bin/chromium</c>, driven by Playwright; no browser is downloaded).</summary>
public static class Chromium
{
    public const string Executable = "/usr/bin/chromium";

    /// <summary>
    /// A page that records every console error, script error and failed request. <paramref name="bypassCsp"/>: the
    /// page's Content-Security-Policy is not applied (to inject a test's own script, such as axe-core).
    /// </summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser, IPage Page, List<string> Problems)> OpenAsync(Uri baseUrl, bool bypassCsp = false)
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: apt-get install chromium");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(), BypassCSP = bypassCsp, ColorScheme = ColorScheme.Light, ViewportSize = new() { Width = 1280, Height = 800 },
        });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type is "error" or "warning") problems.Add(m.Text); };
        page.PageError += (_, e) => problems.Add(e);
        page.Response += (_, r) => { if (r.Status >= 400) problems.Add($"{r.Status} {r.Url}"); };
        return (playwright, browser, page, problems);
    }

    /// <summary>Opens <paramref name="path"/>, is sent to the sign-in form, signs in with <paramref name="token"/> and lands back there.</summary>
    public static async Task SignInThroughTheFormAsync(IPage page, string path, string token)
    {
        await page.GotoAsync(path);
        Assert.EndsWith("/signin", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await page.FillAsync("#token", token);
        await page.ClickAsync("button[type=submit]");
        // The URL is polled rather than awaited with WaitForURLAsync: once the URL matches, that waits for a "load"
        // event, and a CI run saw Playwright's client miss it (only "networkidle" fired) and time out on a page that had loaded.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(path) + "$"), new() { Timeout = 30_000 });
    }
}
