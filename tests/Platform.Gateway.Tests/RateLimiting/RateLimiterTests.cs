using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Platform.Gateway.Tests.Infrastructure;

namespace Platform.Gateway.Tests.RateLimiting;

public sealed class RateLimiterTests
{
    [Fact]
    public async Task TokenBucket_AllowsBurst_Then429_RefillsWithTime()
    {
        await using var backend = await TestBackend.StartAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gw = await GatewayHost.StartAsync($$"""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: limited
                      uri: {{backend.Url}}
                      predicates: [ "Path=/limited/**" ]
                      filters:
                        - name: RequestRateLimiter
                          args:
                            redis-rate-limiter.replenishRate: 1
                            redis-rate-limiter.burstCapacity: 3
                            key-resolver: "#{@ipKeyResolver}"
            """, configureServices: s => s.AddSingleton<TimeProvider>(clock));

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
}
