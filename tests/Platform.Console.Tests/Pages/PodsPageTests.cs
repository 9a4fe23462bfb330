using System.Net;
using Platform.Console.Tests.Support;
using Platform.Testing.ApiServer;

namespace Platform.Console.Tests.Pages;

[Collection(ConsoleCollection.Name)]
public sealed class PodsPageTests(ConsoleFixture fx)
{
    [Fact]
    public async Task Pods_ListsStatusAndLinksToThePod_WithItsContainersAndEvents()
    {
        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();
        await admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod("api-0"))).ExpectAsync(201);
        await admin.PostAsync($"/api/v1/namespaces/{ns}/events", Http.Json($$$"""
            {"metadata":{"name":"api-0.1"},"involvedObject":{"kind":"Pod","name":"api-0","namespace":"{{{ns}}}"},
             "reason":"FailedScheduling","message":"0/0 nodes are available","type":"Warning"}
            """)).ExpectAsync(201);
        using var browser = fx.Browser();
        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();

        var (status, html) = await browser.GetAsync($"/pods?ns={ns}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"<tr data-pod=\"{ns}/api-0\">", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/pods/{ns}/api-0\"", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"status\">Pending</td>", html, StringComparison.Ordinal);

        var (podStatus, pod) = await browser.GetAsync($"/pods/{ns}/api-0");
        Assert.Equal(HttpStatusCode.OK, podStatus);
        Assert.Contains("nginx:1.25", pod, StringComparison.Ordinal);
        Assert.Contains("0/0 nodes are available", pod, StringComparison.Ordinal);

        var (missing, _) = await browser.GetAsync($"/pods/{ns}/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        var (badNs, text) = await browser.GetAsync("/pods?ns=..%2Fnodes");
        Assert.Equal(HttpStatusCode.BadRequest, badNs);
        Assert.Contains("ns: &#x27;../nodes&#x27; is not a namespace name", text, StringComparison.Ordinal);
        // The overview shows the same warning.
        Assert.Contains("FailedScheduling", (await browser.GetAsync($"/?ns={ns}")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_OfAnotherNamespace_AreTheApiserversForbidden_AndBadNamesA400()
    {
        using var admin = fx.Admin();
        var mine = await admin.CreateNamespaceAsync();
        var other = await admin.CreateNamespaceAsync();
        await admin.PostAsync($"/api/v1/namespaces/{other}/pods", Http.Yaml(Http.Pod("secret-work"))).ExpectAsync(201);
        var token = await fx.ServiceAccountTokenAsync(mine, "reader", "view");
        using var browser = fx.Browser();
        (await browser.SignInAsync(token)).Dispose();

        using var r = await browser.Http.GetAsync($"/live/logs/{other}/secret-work?container=main");
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Contains($"User \"system:serviceaccount:{mine}:reader\" cannot get resource \"pods/log\"", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var (pods, html) = await browser.GetAsync($"/pods?ns={other}");
        Assert.Equal(HttpStatusCode.Forbidden, pods);
        Assert.DoesNotContain("secret-work", html, StringComparison.Ordinal);

        using var bad = await browser.Http.GetAsync($"/live/logs/{mine}/Not_A_Name");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("pod: must be a DNS-1123 name", await bad.Content.ReadAsStringAsync());
    }
}
