using System.Net;
using Platform.Console.Tests.Support;
using Platform.Testing.ApiServer;

namespace Platform.Console.Tests.Auth;

[Collection(ConsoleCollection.Name)]
public sealed class SignInTests(ConsoleFixture fx)
{
    [Fact]
    public async Task Page_WithoutSignIn_RedirectsToSignIn()
    {
        using var browser = fx.Browser();
        var (status, _) = await browser.GetAsync("/workloads?ns=default");
        Assert.Equal(HttpStatusCode.Redirect, status);
        using var r = await browser.Http.GetAsync("/");
        Assert.StartsWith("/signin", r.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        using var live = await browser.Http.GetAsync("/live/events");
        Assert.Equal(HttpStatusCode.Unauthorized, live.StatusCode);
    }

    [Fact]
    public async Task SignIn_AdminToken_KeepsItInAnEncryptedHttpOnlyStrictCookie()
    {
        using var browser = fx.Browser();
        using var r = await browser.SignInAsync(fx.ApiServer.AdminToken);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal("/", r.Headers.Location!.OriginalString);
        var setCookie = r.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("platform-console=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(fx.ApiServer.AdminToken, setCookie, StringComparison.Ordinal);

        var (status, html) = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<h1>Overview", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/?ns=\" aria-current=\"page\">Overview</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(fx.ApiServer.AdminToken, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_UnknownToken_Is401AndSaysTheApiserverRefusedIt()
    {
        using var browser = fx.Browser();
        using var r = await browser.SignInAsync("plt_not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("the apiserver does not accept this token", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).Status);
    }

    [Fact]
    public async Task SignIn_EmptyOrSpacedToken_NamesTheField()
    {
        using var browser = fx.Browser();
        using var empty = await browser.SignInAsync("");
        Assert.Contains("token: required", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var spaced = await browser.SignInAsync("a b");
        Assert.Contains("token: must not contain spaces", await spaced.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_IsRefused()
    {
        using var browser = fx.Browser();
        using var signIn = await browser.PostAsync("/signin", [new("token", fx.ApiServer.AdminToken)]);
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);

        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();
        using var signOut = await browser.PostAsync("/signout", []);
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).Status);

        using var done = await browser.SubmitAsync("/", "/signout", []);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).Status);
    }

    [Fact]
    public async Task ServiceAccount_SeesItsNamespace_AndTheApiserversForbiddenElsewhere()
    {
        using var admin = fx.Admin();
        var mine = await admin.CreateNamespaceAsync();
        var other = await admin.CreateNamespaceAsync();
        await admin.PostAsync($"/api/v1/namespaces/{mine}/pods", Http.Yaml(Http.Pod("visible-pod"))).ExpectAsync(201);
        await admin.PostAsync($"/api/v1/namespaces/{other}/pods", Http.Yaml(Http.Pod("hidden-pod"))).ExpectAsync(201);
        var token = await fx.ServiceAccountTokenAsync(mine, "viewer", "view");

        using var browser = fx.Browser();
        (await browser.SignInAsync(token)).Dispose();
        // No ?ns=: a ServiceAccount starts in its own namespace.
        var (status, html) = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"<small>{mine}</small>", html, StringComparison.Ordinal);
        Assert.Contains("Pending <b>1</b>", html, StringComparison.Ordinal);
        // Nodes are cluster-scoped: the apiserver's refusal is shown where the table would be.
        Assert.Contains("cannot list resource &quot;nodes&quot;", html, StringComparison.Ordinal);

        var (forbidden, text) = await browser.GetAsync($"/?ns={other}");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Contains($"User &quot;system:serviceaccount:{mine}:viewer&quot; cannot list resource &quot;pods&quot;", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Pending <b>", text, StringComparison.Ordinal);
    }
}
