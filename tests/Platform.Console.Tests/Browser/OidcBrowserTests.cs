using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Platform.Console.Tests.Auth;
using Platform.Console.Tests.Support;
using Platform.Testing;

namespace Platform.Console.Tests.Browser;

/// <summary>
/// "Sign in with &lt;provider&gt;" in headless Chromium: the real browser's cookie rules (SameSite, the Lax correlation
/// and nonce cookies), the provider's redirects and the self-refreshing page after it end on the page first asked for,
/// signed in as the provider's user, with no console error, CSP report or failed request on the way.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class OidcBrowserTests(ConsoleFixture fx)
{
    [Fact]
    public async Task SignInWithProvider_InChromium_LandsOnThePageAskedFor_AsTheProvidersUser()
    {
        var subject = "fay-" + Guid.NewGuid().ToString("N")[..6];
        var (mine, _) = await OidcSignInTests.NamespacesForAsync(fx, fx.Idp.Issuer + "#" + subject);
        await using var console = await OidcSignInTests.StartOidcConsoleAsync(fx);
        fx.Idp.LoginSubject = subject;

        var (playwright, browser, page, problems) = await Chromium.OpenAsync(LoopbackHost.AddressOf(console));
        using var _ = playwright;
        await using var __ = browser;
        await page.GotoAsync($"/?ns={mine}");
        Assert.EndsWith("/signin", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await page.ClickAsync("text=Sign in with Test IdP");
        // The URL, polled: WaitForURL also waits for a load event, which the page reached through the Done page's
        // refresh had sometimes fired already (a timeout on the right page, signed in, about one run in four).
        try { await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/\\?ns={mine}$"), new() { Timeout = 30_000 }); }
        catch (PlaywrightException) { Assert.Fail($"stopped at {page.Url}: {string.Join("; ", problems)}\n{await page.ContentAsync()}"); }
        await Assertions.Expect(page.Locator("header .user")).ToHaveTextAsync(fx.Idp.Issuer + "#" + subject);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Pending 1");
        Assert.Empty(problems);
    }
}
