using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Platform.Gateway.RateLimiting;
using Platform.Gateway.Tests.Infrastructure;

namespace Platform.Gateway.Tests.RateLimiting;

public sealed class RateLimiterTests
{
    [Fact]
    public async Task TokenBucket_AllowsBurst_Then429_RefillsWithTime()
    {
        await using var backend = await TestBackend.StartAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gw = await GatewayHost.StartAsync(LimitedRoute(backend.Url, "#{@ipKeyResolver}", burst: 3), configureServices: s => s.AddSingleton<TimeProvider>(clock));

        var remaining = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await gw.Client.GetAsync("/limited/x");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            remaining.Add(ok.Headers.GetValues("X-RateLimit-Remaining").Single());
            Assert.Equal("3", ok.Headers.GetValues("X-RateLimit-Burst-Capacity").Single());
            Assert.Equal("1", ok.Headers.GetValues("X-RateLimit-Replenish-Rate").Single());
        }
        Assert.Equal(["2", "1", "0"], remaining);

        using var limited = await gw.Client.GetAsync("/limited/x");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("0", limited.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Equal(3, backend.Hits);

        clock.Advance(TimeSpan.FromSeconds(1));
        using var refilled = await gw.Client.GetAsync("/limited/x");
        Assert.Equal(HttpStatusCode.OK, refilled.StatusCode);
    }

    private static string LimitedRoute(string url, string keyResolver, int burst = 2) => $$"""
        spring:
          cloud:
            gateway:
              routes:
                - id: limited
                  uri: {{url}}
                  predicates: [ "Path=/limited/**" ]
                  filters:
                    - name: RequestRateLimiter
                      args:
                        redis-rate-limiter.replenishRate: 1
                        redis-rate-limiter.burstCapacity: {{burst}}
                        key-resolver: "{{keyResolver}}"
        """;

    private static async Task<HttpStatusCode> CallAsync(GatewayHost gw, string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/limited/x");
        request.Headers.Add(header, value);
        using var r = await gw.Client.SendAsync(request);
        return r.StatusCode;
    }

    [Fact]
    public async Task SprayingNewKeys_NeitherResetsADrainedBucketNorGrowsTheStorePastItsBound()
    {
        await using var backend = await TestBackend.StartAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gw = await GatewayHost.StartAsync(LimitedRoute(backend.Url, "header:X-Client"),
            new Dictionary<string, string?> { ["Gateway:RateLimiter:MaxBuckets"] = "8" }, s => s.AddSingleton<TimeProvider>(clock));
        var store = gw.Services.GetRequiredService<RateLimitBuckets>();

        Assert.Equal(HttpStatusCode.OK, await CallAsync(gw, "X-Client", "victim"));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(gw, "X-Client", "victim"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await CallAsync(gw, "X-Client", "victim"));

        var sprayed = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++) sprayed.Add(await CallAsync(gw, "X-Client", $"spray-{i}"));

        Assert.Equal(HttpStatusCode.TooManyRequests, await CallAsync(gw, "X-Client", "victim"));
        Assert.True(store.Count <= 8 + 1, $"{store.Count} buckets for a bound of 8 (+1 overflow)");
        // The keys that found no room share one overflow bucket, which they drain among themselves.
        Assert.Contains(HttpStatusCode.TooManyRequests, sprayed);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(gw, "X-Client", "victim"));
    }

    [Fact]
    public async Task ApiKeyResolver_UnknownKeysAreDeniedBeforeABucketIsMade()
    {
        await using var backend = await TestBackend.StartAsync();
        await using var gw = await GatewayHost.StartAsync(LimitedRoute(backend.Url, "apikey"),
            new Dictionary<string, string?> { ["Gateway:Auth:ApiKeys:ops-bot:Sha256"] = Platform.Gateway.Auth.ApiKeyStore.Hash("ops-key-123") });
        var store = gw.Services.GetRequiredService<RateLimitBuckets>();

        for (var i = 0; i < 30; i++) Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(gw, "X-Api-Key", $"made-up-{i}"));
        Assert.Equal(0, store.Count);
        Assert.Equal(0, backend.Hits);

        Assert.Equal(HttpStatusCode.OK, await CallAsync(gw, "X-Api-Key", "ops-key-123"));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task DrainedBucket_StaysDrained_WhenAnotherRouteChanges()
    {
        await using var backend = await TestBackend.StartAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gw = await GatewayHost.StartAsync(LimitedRoute(backend.Url, "header:X-Client"), configureServices: s => s.AddSingleton<TimeProvider>(clock));
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, await CallAsync(gw, "X-Client", "me"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await CallAsync(gw, "X-Client", "me"));

        // Any route change compiles every route again (new filter instances); the buckets are not theirs to lose.
        using var post = new HttpRequestMessage(HttpMethod.Post, "/actuator/gateway/routes/other")
        {
            Content = new StringContent($$"""{"uri":"{{backend.Url}}","predicates":["Path=/other/**"]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        post.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayHost.AdminToken);
        using (var posted = await gw.Client.SendAsync(post)) Assert.Equal(HttpStatusCode.Created, posted.StatusCode);

        Assert.Equal(HttpStatusCode.TooManyRequests, await CallAsync(gw, "X-Client", "me"));
    }
}
