using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Platform.Gateway.RateLimiting;
using Platform.Gateway.RateLimiting.Fleet;
using Platform.Gateway.Tests.Infrastructure;

namespace Platform.Gateway.Tests.RateLimiting;

public sealed class FleetTakeApiTests
{
    private const string CatchAll = """
        spring:
          cloud:
            gateway:
              routes:
                - id: everything
                  uri: http://127.0.0.1:9
                  predicates: [ "Path=/**" ]
        """;

    [Fact]
    public async Task TakeEndpoint_WithoutTheFleetToken_Is401_EvenUnderACatchAllRoute()
    {
        await using var gw = await GatewayHost.StartAsync(CatchAll, new Dictionary<string, string?>
        {
            ["Gateway:RateLimiter:Fleet:Peers:0"] = "http://127.0.0.1:1",
            ["Gateway:RateLimiter:Fleet:Secret"] = "fleet-secret",
        });
        var body = new { routeId = "r", limits = "1/1", key = "k", capacity = 1, rate = 1, requested = 1 };

        using var anonymous = await gw.Client.PostAsJsonAsync("/internal/ratelimit/take", body);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Gateway:RateLimiter:Fleet:Secret", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var admin = new HttpRequestMessage(HttpMethod.Post, "/internal/ratelimit/take") { Content = JsonContent.Create(body) };
        admin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayHost.AdminToken);
        using (var r = await gw.Client.SendAsync(admin)) Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);

        async Task<string> TakeAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/internal/ratelimit/take") { Content = JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "fleet-secret");
            using var r = await gw.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            return await r.Content.ReadAsStringAsync();
        }
        Assert.Contains("\"allowed\":true", await TakeAsync(), StringComparison.Ordinal);
        Assert.Contains("\"allowed\":false", await TakeAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TakeEndpoint_WithoutAFleet_IsNotThere_TheRouteServesThePath()
    {
        await using var gw = await GatewayHost.StartAsync(CatchAll);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/internal/ratelimit/take") { Content = JsonContent.Create(new { }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayHost.AdminToken);
        using var r = await gw.Client.SendAsync(request);
        // Forwarded to the route's (closed) upstream: no take endpoint answered.
        Assert.Equal(HttpStatusCode.BadGateway, r.StatusCode);
    }

    [Fact]
    public async Task ConfiguredPeers_AreTheMembers_SelfOwnedKeysGetTheBurst_AnUnreachableOwnersKeysTheShare()
    {
        await using var backend = await TestBackend.StartAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gw = await GatewayHost.StartAsync(FleetRateLimiterTests.LimitedRoute(backend.Url, rate: 1, burst: 4),
            new Dictionary<string, string?>
            {
                // Nothing listens on port 1: that member is down for the whole test.
                ["Gateway:RateLimiter:Fleet:Peers:0"] = "http://127.0.0.1:1",
                ["Gateway:RateLimiter:Fleet:Peers:1"] = "http://gateway-b.test:8080",
                ["Gateway:RateLimiter:Fleet:Self"] = "http://gateway-b.test:8080",
            }, s => s.AddSingleton<TimeProvider>(clock));
        var view = gw.Services.GetRequiredService<FleetMembership>().Current;
        Assert.Equal(["http://127.0.0.1:1", "http://gateway-b.test:8080"], view.Members);
        Assert.Equal("http://gateway-b.test:8080", view.Self);

        string KeyOwnedBy(string member) => Enumerable.Range(0, 100).Select(i => $"client-{i}")
            .First(k => view.OwnerOf(FleetBuckets.Identity(new BucketKey(null, "limited", "1/4", k))) == member);
        async Task<int> AllowedAsync(string client)
        {
            var allowed = 0;
            for (var i = 0; i < 6; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/limited/x");
                request.Headers.Add("X-Client", client);
                using var r = await gw.Client.SendAsync(request);
                if (r.StatusCode == HttpStatusCode.OK) allowed++;
            }
            return allowed;
        }

        Assert.Equal(4, await AllowedAsync(KeyOwnedBy(view.Self)));
        // Owner unreachable: this replica's share, burst 4 / 2 members.
        Assert.Equal(2, await AllowedAsync(KeyOwnedBy("http://127.0.0.1:1")));
        Assert.Contains(gw.Logs.Lines, l => l.Contains("rate-limit owner http://127.0.0.1:1 did not answer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_BadFleetOptions_FailsNamingEveryKey()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHost.StartAsync("spring: {}", new Dictionary<string, string?>
        {
            ["Gateway:RateLimiter:Fleet:Peers:0"] = "not a url",
            ["Gateway:RateLimiter:Fleet:Self"] = "ftp://x",
            ["Gateway:RateLimiter:Fleet:PeerTimeout"] = "00:00:00",
        }));
        Assert.Contains(ex.Failures, f => f.StartsWith("Gateway:RateLimiter:Fleet:Peers:0:", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Gateway:RateLimiter:Fleet:Self:", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Gateway:RateLimiter:Fleet:PeerTimeout:", StringComparison.Ordinal));
    }
}
