using System.Text.RegularExpressions;
using Platform.Discovery.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Discovery.Tests.Dashboard;

/// <summary>The dashboard as a browser renders it (headless Chromium).</summary>
public sealed partial class DashboardPageTests(HeadlessChromium chromium) : IClassFixture<HeadlessChromium>
{
    [Fact]
    public async Task Dashboard_ShowsApplicationsInstancesLinksLeasesAndReplicas()
    {
        var peer = Network.FreeTcpPort();
        await using var server = await TestDiscoveryServer.StartAsync(new Dictionary<string, string?>
        {
            ["eureka:client:serviceUrl:defaultZone"] = $"http://127.0.0.1:{peer}/eureka/",
            ["Eureka:Server:PeerSyncTimeoutSeconds"] = "1",
            ["Eureka:Server:SelfPreservationMinInstances"] = "5",
        });
        using var client = server.Client();
        await Eureka.RegisterAsync(client, "my-first-service", "first-a", 8081);
        await Eureka.RegisterAsync(client, "my-first-service", "first-b", 8082, status: "DOWN");
        await Eureka.RegisterAsync(client, "my-second-service", "second-a", 9091);
        using (var r = await client.PutAsync("apps/MY-SECOND-SERVICE/second-a", null)) r.EnsureSuccessStatusCode();

        var dom = await chromium.DumpDomAsync(server.BaseUrl);

        Assert.Contains("<h1>Discovery registry</h1>", dom, StringComparison.Ordinal);
        var apps = AppRow().Matches(dom).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["MY-FIRST-SERVICE", "MY-SECOND-SERVICE"], apps);
        Assert.Contains("DOWN (1), UP (1)", dom, StringComparison.Ordinal);
        Assert.Matches(@"<a class=""instance UP"" href=""http://127.0.0.1:8081/"">first-a</a>", dom);
        Assert.Matches(@"<a class=""instance DOWN"" href=""http://127.0.0.1:8082/"">first-b</a>", dom);
        Assert.Matches(@"<th>Registered instances</th><td>3</td>", dom);
        Assert.Matches(@"<td id=""renews"">1</td>", dom);
        Assert.Contains("Self-preservation is enabled but inactive", dom, StringComparison.Ordinal);
        Assert.Contains($"http://127.0.0.1:{peer}/eureka/", dom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_WhenSelfPreservationEngages_ShowsTheBannerWithTheNumbers()
    {
        var clock = TestDiscoveryServer.FakeClock();
        await using var server = await TestDiscoveryServer.StartAsync(new Dictionary<string, string?>
        {
            ["Eureka:Server:SelfPreservationMinInstances"] = "3",
        }, clock);
        using var client = server.Client();
        for (var n = 0; n < 5; n++) await Eureka.RegisterAsync(client, "fleet", $"f-{n}", duration: 30);
        clock.Advance(TimeSpan.FromSeconds(61));

        var dom = await chromium.DumpDomAsync(server.BaseUrl);

        Assert.Contains("<strong>Self-preservation is ACTIVE.</strong>", dom, StringComparison.Ordinal);
        Assert.Contains("Only 0 renewals arrived in the last minute (threshold 8)", dom, StringComparison.Ordinal);
        Assert.Contains("expired instances are NOT being evicted", dom, StringComparison.Ordinal);
        Assert.Equal(5, InstanceLink().Count(dom));
    }

    [GeneratedRegex(@"<a class=""instance UP""")]
    private static partial Regex InstanceLink();

    [GeneratedRegex(@"<tr class=""app"" data-app=""([^""]+)"">")]
    private static partial Regex AppRow();
}
