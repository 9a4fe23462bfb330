using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Platform.Console.Tests.Support;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Console.Tests.Auth;

/// <summary>
/// "Sign in with &lt;provider&gt;" (<c>Console:Oidc:*</c>) over HTTP, every redirect followed by hand as a browser
/// would: the console's authorize request (PKCE), the provider's code, the console's callback and token exchange, the
/// apiserver's verdict on the ID token, and pages that show only what the user's RoleBinding allows.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class OidcSignInTests(ConsoleFixture fx)
{
    [GeneratedRegex("<meta http-equiv=\"refresh\" content=\"0;url=([^\"]+)\"")]
    private static partial Regex MetaRefresh();

    private Task<WebApplication> StartOidcConsoleAsync() => StartOidcConsoleAsync(fx);

    /// <summary>A console of its own with <c>Console:Oidc:*</c> naming the fixture's provider (the shared one has no OIDC).</summary>
    internal static async Task<WebApplication> StartOidcConsoleAsync(ConsoleFixture fx, params string[] scopes) => await ConsoleFixture.StartConsoleAsync(new Dictionary<string, string?>(
        scopes.Select((scope, i) => KeyValuePair.Create($"Console:Oidc:Scopes:{i}", (string?)scope)))
    {
        ["Console:ApiServerUrl"] = fx.ApiServer.BaseAddress.ToString(),
        ["Console:TopicPrefix"] = fx.ApiServer.TopicPrefix,
        ["Console:Oidc:Authority"] = fx.Idp.Issuer,
        ["Console:Oidc:ClientId"] = ConsoleFixture.OidcClientId,
        ["Console:Oidc:DisplayName"] = "Test IdP",
        ["Kafka:BootstrapServers"] = fx.Kafka.BootstrapServers,
    });

    /// <summary>Presses "Sign in with Test IdP" and follows the redirects; returns the last response (not followed further).</summary>
    private static async Task<HttpResponseMessage> SignInWithProviderAsync(ConsoleBrowser browser, string returnUrl)
    {
        var response = await browser.SubmitAsync("/signin", "/signin?handler=Oidc", [new("returnUrl", returnUrl)]);
        for (var hops = 0; hops < 5 && response.StatusCode == HttpStatusCode.Redirect; hops++)
        {
            var next = response.Headers.Location!;
            response.Dispose();
            response = await browser.Http.GetAsync(next);
        }
        return response;
    }

    private Task<(string Mine, string Other)> NamespacesForAsync(string user) => NamespacesForAsync(fx, user);

    /// <summary>Two namespaces with a pod each; <paramref name="user"/> may view the first (a RoleBinding of kind User).</summary>
    internal static async Task<(string Mine, string Other)> NamespacesForAsync(ConsoleFixture fx, string user)
    {
        using var admin = fx.Admin();
        var mine = await admin.CreateNamespaceAsync();
        var other = await admin.CreateNamespaceAsync();
        await admin.PostAsync($"/api/v1/namespaces/{mine}/pods", Http.Yaml(Http.Pod("visible-pod"))).ExpectAsync(201);
        await admin.PostAsync($"/api/v1/namespaces/{other}/pods", Http.Yaml(Http.Pod("hidden-pod"))).ExpectAsync(201);
        await admin.PostAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{mine}/rolebindings", Http.Json($$"""
            {"metadata":{"name":"oidc-view"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
             "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"{{user}}"}]}
            """)).ExpectAsync(201);
        return (mine, other);
    }

    [Fact]
    public async Task SignInWithProvider_CodeFlowWithPkce_PagesShowOnlyTheBoundNamespace_SignOutEndsIt()
    {
        var subject = "dana-" + Guid.NewGuid().ToString("N")[..6];
        var user = fx.Idp.Issuer + "#" + subject;
        var (mine, other) = await NamespacesForAsync(user);
        await using var console = await StartOidcConsoleAsync();
        fx.Idp.LoginSubject = subject;
        var exchanges = fx.Idp.CodeExchanges;
        using var browser = new ConsoleBrowser(LoopbackHost.AddressOf(console));

        var (_, signInPage) = await browser.GetAsync("/signin");
        Assert.Contains("Sign in with Test IdP</button>", signInPage, StringComparison.Ordinal);
        // The provider is left only by a POST carrying the antiforgery token.
        using (var forged = await browser.PostAsync("/signin?handler=Oidc", []))
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        using (var done = await SignInWithProviderAsync(browser, $"/?ns={mine}"))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
            var html = await done.Content.ReadAsStringAsync();
            Assert.Equal($"/?ns={mine}", WebUtility.HtmlDecode(MetaRefresh().Match(html).Groups[1].Value));
        }
        Assert.Equal(exchanges + 1, fx.Idp.CodeExchanges);

        // The ID token is the bearer now: the user's view binding in its namespace and nothing else.
        await Eventually.WaitAsync(async () => (await browser.GetAsync($"/?ns={mine}")).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(15), "the binding is in effect");
        var (status, page) = await browser.GetAsync($"/?ns={mine}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(subject, page, StringComparison.Ordinal);
        Assert.Contains("Pending <b>1</b>", page, StringComparison.Ordinal);
        var (forbidden, text) = await browser.GetAsync($"/?ns={other}");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Contains($"User &quot;{user}&quot; cannot list resource &quot;pods&quot;", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden-pod", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Pending <b>", text, StringComparison.Ordinal);

        using (var signOut = await browser.SubmitAsync("/", "/signout", []))
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync($"/?ns={mine}")).Status);
    }

    [Fact]
    public async Task ExpiredIdToken_SendsTheUserBackToSignIn_NeverAnError()
    {
        var subject = "erin-" + Guid.NewGuid().ToString("N")[..6];
        var (mine, _) = await NamespacesForAsync(fx.Idp.Issuer + "#" + subject);
        await using var console = await StartOidcConsoleAsync();
        fx.Idp.LoginSubject = subject;
        fx.Idp.IdTokenLifetime = TimeSpan.FromSeconds(3);
        try
        {
            using var browser = new ConsoleBrowser(LoopbackHost.AddressOf(console));
            (await SignInWithProviderAsync(browser, "/")).Dispose();
            await Eventually.WaitAsync(async () => (await browser.GetAsync($"/?ns={mine}")).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "signed in");
            // Past the ID token's exp the cookie no longer counts: a redirect to sign in, not a 500 or the apiserver's 401.
            await Eventually.WaitAsync(async () =>
            {
                using var r = await browser.Http.GetAsync($"/?ns={mine}");
                return r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location!.PathAndQuery.StartsWith("/signin", StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(15), "the expired session ends");
        }
        finally { fx.Idp.IdTokenLifetime = TimeSpan.FromMinutes(5); }
    }

    [Fact]
    public async Task ProviderUserTheApiserverRefuses_LandsOnSignInWithAFixedMessage()
    {
        await using var console = await StartOidcConsoleAsync();
        fx.Idp.LoginSubject = "mallory";
        // The apiserver refuses system: groups from an issuer, so the console must not sign this user in.
        fx.Idp.LoginClaims = new Dictionary<string, object> { ["groups"] = new[] { "system:masters" } };
        try
        {
            using var browser = new ConsoleBrowser(LoopbackHost.AddressOf(console));
            using var landed = await SignInWithProviderAsync(browser, "/");
            Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
            Assert.Equal("/signin", landed.RequestMessage!.RequestUri!.AbsolutePath);
            Assert.Contains("Sign-in with Test IdP did not complete", await landed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).Status);
        }
        finally { fx.Idp.LoginClaims = new Dictionary<string, object>(); }
    }

    [Fact]
    public async Task ExpiredIdToken_WithARefreshToken_IsRenewedWithoutSigningInAgain()
    {
        var subject = "gus-" + Guid.NewGuid().ToString("N")[..6];
        var (mine, _) = await NamespacesForAsync(fx.Idp.Issuer + "#" + subject);
        await using var console = await StartOidcConsoleAsync(fx, "profile", "offline_access");
        fx.Idp.LoginSubject = subject;
        fx.Idp.IdTokenLifetime = TimeSpan.FromSeconds(3);
        try
        {
            using var browser = new ConsoleBrowser(LoopbackHost.AddressOf(console));
            (await SignInWithProviderAsync(browser, "/")).Dispose();
            await Eventually.WaitAsync(async () => (await browser.GetAsync($"/?ns={mine}")).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "the binding is in effect");
            var refreshes = fx.Idp.Refreshes;
            // Keep using the page past several ID token lifetimes: every answer is the page, never a trip to sign in.
            await Eventually.WaitAsync(async () =>
            {
                var (status, html) = await browser.GetAsync($"/?ns={mine}");
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Contains(subject, html, StringComparison.Ordinal);
                return fx.Idp.Refreshes >= refreshes + 2;
            }, TimeSpan.FromSeconds(20), "two refreshes");
        }
        finally { fx.Idp.IdTokenLifetime = TimeSpan.FromMinutes(5); }
    }
}
