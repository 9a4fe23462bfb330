using System.Net;
using System.Text.RegularExpressions;
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

    [Fact]
    public async Task Pods_AreShownAPageAtATime_InNameOrder_WithLinksThatKeepTheFilters()
    {
        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();
        // One more than a page (Console:PodsPerPage is 100), created out of order.
        var names = Enumerable.Range(0, 101).Select(i => $"p-{i:D3}").Reverse().ToList();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (name, ct) =>
            await admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod(name)), ct).ExpectAsync(201));
        using var browser = fx.Browser();
        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();

        var (first, html) = await browser.GetAsync($"/pods?ns={ns}");
        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(100, Regex.Count(html, "<tr data-pod="));
        Assert.Contains($"<tr data-pod=\"{ns}/p-000\">", html, StringComparison.Ordinal);
        Assert.Contains($"<tr data-pod=\"{ns}/p-099\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("p-100", html, StringComparison.Ordinal);
        Assert.Contains("Pods 1–100 of 101", html, StringComparison.Ordinal);
        Assert.Contains($"<a rel=\"next\" href=\"/pods?ns={ns}&amp;page=2\">", html, StringComparison.Ordinal);

        var (second, page2) = await browser.GetAsync($"/pods?ns={ns}&page=2");
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal([$"{ns}/p-100"], Regex.Matches(page2, "<tr data-pod=\"([^\"]+)\">").Select(m => m.Groups[1].Value));
        Assert.Contains($"<a rel=\"prev\" href=\"/pods?ns={ns}\">", page2, StringComparison.Ordinal);

        // The phase filter is the apiserver's field selector, and a page link keeps it.
        var (pending, filtered) = await browser.GetAsync($"/pods?ns={ns}&phase=Pending");
        Assert.Equal(HttpStatusCode.OK, pending);
        Assert.Equal(100, Regex.Count(filtered, "<tr data-pod="));
        Assert.Contains($"<a rel=\"next\" href=\"/pods?ns={ns}&amp;phase=Pending&amp;page=2\">", filtered, StringComparison.Ordinal);
        var (running, none) = await browser.GetAsync($"/pods?ns={ns}&phase=Running");
        Assert.Equal(HttpStatusCode.OK, running);
        Assert.Contains("No pods in", none, StringComparison.Ordinal);

        var (past, beyond) = await browser.GetAsync($"/pods?ns={ns}&page=9");
        Assert.Equal(HttpStatusCode.OK, past);
        Assert.Contains($"href=\"/pods?ns={ns}&amp;page=2\">Go to page 2", beyond, StringComparison.Ordinal);

        foreach (var bad in new[] { "0", "x", "-1", "99999999999" })
        {
            var (status, text) = await browser.GetAsync($"/pods?ns={ns}&page={bad}");
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains($"page: &#x27;{bad}&#x27; is not a page number", text, StringComparison.Ordinal);
        }
    }
}
