using System.Net;
using System.Text.RegularExpressions;
using Platform.Console.Tests.Support;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Console.Tests.Pages;

/// <summary>The routes page's per-route figures, from the real gateway's <c>/metrics</c> after requests through it.</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class RouteFiguresPageTests(ConsoleFixture fx)
{
    [GeneratedRegex("<td class=\"requests\">(\\d+)</td>\\s*<td class=\"rate\">([^<]+)</td>\\s*<td class=\"errors[^\"]*\">([^<]+)</td>\\s*<td class=\"latency\">([^<]+)</td>")]
    private static partial Regex FigureCells();

    /// <summary>A Route in <paramref name="ns"/> that the gateway serves at <c>/{ns}/...</c>, sent to <paramref name="uri"/>'s <c>/healthz</c>.</summary>
    internal static async Task<HttpClient> ServedRouteAsync(ConsoleFixture fx, HttpClient admin, string ns, string name, Uri uri)
    {
        await admin.PostAsync($"/apis/gateway.platform.io/v1/namespaces/{ns}/routes", Http.Yaml($"""
            apiVersion: gateway.platform.io/v1
            kind: Route
            metadata:
              name: {name}
            spec:
              uri: {uri.GetLeftPart(UriPartial.Authority)}
              predicates:
                - Path=/{ns}/**
              filters:
                - SetPath=/healthz
            """)).ExpectAsync(201);
        var client = new HttpClient { BaseAddress = fx.Gateway.Address };
        await Eventually.WaitAsync(async () =>
        {
            using var r = await client.GetAsync($"/{ns}/probe");
            return r.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30), $"the gateway serves route {ns}/{name}");
        return client;
    }

    [Fact]
    public async Task Routes_ShowEachRoutesRequestsRateAndLatency_FromTheGatewaysMetrics()
    {
        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();
        using var gateway = await ServedRouteAsync(fx, admin, ns, "health", fx.ConsoleAddress);
        for (var i = 0; i < 20; i++) (await gateway.GetAsync($"/{ns}/r{i}")).Dispose();

        using var browser = fx.Browser();
        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();
        Match? cells = null;
        await Eventually.WaitAsync(async () =>
        {
            var (_, html) = await browser.GetAsync($"/routes?ns={ns}");
            var row = html[html.IndexOf($"data-route=\"{ns}/health\"", StringComparison.Ordinal)..];
            cells = FigureCells().Match(row);
            return cells.Success && int.Parse(cells.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 21 && cells.Groups[2].Value != "—";
        }, TimeSpan.FromSeconds(30), "the page shows the route's requests and a rate");
        Assert.EndsWith("/s", cells!.Groups[2].Value, StringComparison.Ordinal);
        Assert.Equal("0 %", cells.Groups[3].Value);
        Assert.Matches("≤ [0-9.]+ (ms|s) / ≤ [0-9.]+ (ms|s)", WebUtility.HtmlDecode(cells.Groups[4].Value));
    }
}
