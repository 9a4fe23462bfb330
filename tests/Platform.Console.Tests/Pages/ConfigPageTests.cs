using System.Net;
using System.Text;
using Platform.Console.Tests.Support;
using Platform.Testing.ApiServer;

namespace Platform.Console.Tests.Pages;

[Collection(ConsoleCollection.Name)]
public sealed class ConfigPageTests(ConsoleFixture fx)
{
    private static string NewApp() => "cfg-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Config_ListsAnAppsPropertySources_MasksSecrets_AndNeverRendersACipherValue()
    {
        var app = NewApp();
        const string plain = "the-plain-text-of-a-cipher-value";
        var cipher = await fx.ConfigServer.EncryptAsync(plain);
        fx.ConfigServer.Write($"{app}.yml", $"greeting: hello from {app}\ndb:\n  url: jdbc:postgresql://db/orders\n  password: plain-db-password\nvault:\n  token: '{{cipher}}{cipher}'\n  note: '{{cipher}}{cipher}'\n");
        fx.ConfigServer.Write($"{app}-dev.yml", "greeting: hello from dev\n");
        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();
        var labelled = NewApp();
        await admin.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Http.Json($$$"""
            {"metadata":{"name":"settings","labels":{"config.platform.io/application":"{{{labelled}}}"}},"data":{"a":"b"}}
            """)).ExpectAsync(201);
        using var browser = fx.Browser();
        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();

        var (listed, index) = await browser.GetAsync("/config");
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Contains($"data-config-app=\"{ConsoleFixture.ConfiguredApplication}\"", index, StringComparison.Ordinal);
        Assert.Contains($"data-config-app=\"{labelled}\"", index, StringComparison.Ordinal);
        Assert.Contains($"configmap {ns}/settings", index, StringComparison.Ordinal);

        var (status, html) = await browser.GetAsync($"/config?app={app}&profile=dev");
        Assert.Equal(HttpStatusCode.OK, status);
        // Both files, the profile's first; plain values shown, a secret-looking key masked, cipher values "encrypted".
        var dev = html.IndexOf($"{app}-dev.yml", StringComparison.Ordinal);
        var main = html.IndexOf($"{app}.yml\"", StringComparison.Ordinal);
        Assert.True(dev > 0 && main > dev, "the dev profile's source is listed before the application's");
        Assert.Contains("hello from dev", html, StringComparison.Ordinal);
        Assert.Contains("jdbc:postgresql://db/orders", html, StringComparison.Ordinal);
        Assert.Matches("data-key=\"db.password\">\\s*<td><code>db.password</code></td>\\s*<td class=\"masked\">\\*\\*\\*\\*\\*\\*</td>", html);
        Assert.Matches("data-key=\"vault.note\">\\s*<td><code>vault.note</code></td>\\s*<td class=\"masked\">encrypted</td>", html);
        Assert.DoesNotContain("plain-db-password", html, StringComparison.Ordinal);
        Assert.DoesNotContain(plain, html, StringComparison.Ordinal);
        Assert.DoesNotContain(cipher, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_BadArguments_Are400NamingTheField()
    {
        using var browser = fx.Browser();
        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();
        var (status, html) = await browser.GetAsync("/config?app=a%2F..%2Fb");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("app: must be an application name", html, StringComparison.Ordinal);
        (status, html) = await browser.GetAsync("/config?app=orders&profile=dev%2C%2Cx");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("profile: must be profile names", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_PublishesTheBusEventForTheApplication()
    {
        var app = NewApp();
        using var browser = fx.Browser();
        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();
        using var refreshed = await browser.SubmitAsync($"/config?app={app}", $"/config?handler=Refresh&app={app}", [new("app", app)]);
        Assert.Equal(HttpStatusCode.Redirect, refreshed.StatusCode);
        Assert.Contains($"refresh sent to {app}:** on the config bus", (await browser.GetAsync(refreshed.Headers.Location!.OriginalString)).Html, StringComparison.Ordinal);

        var events = fx.Kafka.ConsumeMany(fx.ConfigServer.BusTopic, 1, TimeSpan.FromSeconds(20),
            r => Encoding.UTF8.GetString(r.Message.Value).Contains($"\"destinationService\":\"{app}:**\"", StringComparison.Ordinal));
        var body = Encoding.UTF8.GetString(Assert.Single(events).Message.Value);
        Assert.Contains("\"type\":\"RefreshRemoteApplicationEvent\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_ANamespacedViewer_GetsTheRefusal_AndItsRefreshSendsNothing()
    {
        var app = NewApp();
        fx.ConfigServer.Write($"{app}.yml", "visible: to cluster viewers only\n");
        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();
        using var viewer = fx.Browser();
        (await viewer.SignInAsync(await fx.ServiceAccountTokenAsync(ns, "dev", "view"))).Dispose();

        var (status, html) = await viewer.GetAsync($"/config?app={app}");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("needs list on configmaps in every namespace", html, StringComparison.Ordinal);
        Assert.DoesNotContain("to cluster viewers only", html, StringComparison.Ordinal);

        using var refused = await viewer.SubmitAsync($"/config?app={app}", $"/config?handler=Refresh&app={app}", [new("app", app)]);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("needs update on configmaps in every namespace", (await viewer.GetAsync(refused.Headers.Location!.OriginalString)).Html, StringComparison.Ordinal);
        Assert.Empty(fx.Kafka.ConsumeMany(fx.ConfigServer.BusTopic, 1, TimeSpan.FromSeconds(3),
            r => Encoding.UTF8.GetString(r.Message.Value).Contains($"\"{app}:**\"", StringComparison.Ordinal)));
    }
}
