using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Platform.Discovery.Client.Registry;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Gateway.Tests.Resilience;

public sealed class ResilienceTests
{
    [Fact]
    public async Task Retry_After503_ReachesTheOtherInstance()
    {
        await using var good = await TestBackend.StartAsync("good");
        await using var bad = await TestBackend.StartAsync("bad");
        bad.ForcedStatus = 503;
        await using var eureka = await FakeEureka.StartAsync();
        eureka.Put("MY-SERVICE", "good", good.Port);
        eureka.Put("MY-SERVICE", "bad", bad.Port);
        await using var gw = await GatewayHost.StartAsync("""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: retried
                      uri: lb://my-service
                      predicates: [ "Path=/retried/**" ]
                      filters:
                        - name: Retry
                          args:
                            retries: 1
                            statuses: SERVICE_UNAVAILABLE
                            methods: GET
                            backoff:
                              firstBackoff: 10ms
                              maxBackoff: 50ms
                    - id: plain
                      uri: lb://my-service
                      predicates: [ "Path=/plain/**" ]
            """, new Dictionary<string, string?> { ["Gateway:Discovery:EurekaUrl"] = eureka.EurekaUrl });
        var registry = gw.Services.GetRequiredService<IDiscoveryClient>();
        await Eventually.WaitAsync(() => registry.GetInstances("MY-SERVICE").Count == 2, TimeSpan.FromSeconds(10), "registry loaded");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var r = await gw.Client.GetAsync("/retried/x");
            statuses.Add(r.StatusCode);
            Assert.Equal("good", r.Headers.GetValues("X-Backend").Single());
        }
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.True(bad.Hits >= 5, $"round robin should have sent about half the first attempts to the failing instance (it got {bad.Hits})");
    }

    [Fact]
    public async Task CircuitBreaker_OpensOnFailures_ServesFallbackWithoutCallingUpstream()
    {
        await using var failing = await TestBackend.StartAsync("failing");
        failing.ForcedStatus = 500;
        await using var fallback = await TestBackend.StartAsync("fallback");
        await using var gw = await GatewayHost.StartAsync($$"""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: guarded
                      uri: {{failing.Url}}
                      predicates: [ "Path=/guarded/**" ]
                      filters:
                        - name: CircuitBreaker
                          args:
                            name: guardedBreaker
                            fallbackUri: forward:/fallback/orders
                            statusCodes: 500
                            minimumThroughput: 2
                            breakDuration: 30s
                    - id: fallback
                      uri: {{fallback.Url}}
                      predicates: [ "Path=/fallback/**" ]
                      filters: [ FallbackHeaders ]
            """);

        for (var i = 0; i < 2; i++)
        {
            using var r = await gw.Client.GetAsync("/guarded/x");
            var echo = await EchoResponse.ReadAsync(r);
            Assert.Equal("fallback", echo.Backend);
            Assert.Equal("/fallback/orders", echo.Path);
            Assert.Contains("500", echo.Header("Execution-Exception-Message"), StringComparison.Ordinal);
        }
        var upstreamHits = failing.Hits;

        using var open = await gw.Client.GetAsync("/guarded/x");
        var openEcho = await EchoResponse.ReadAsync(open);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal("fallback", openEcho.Backend);
        Assert.Equal("Polly.CircuitBreaker.BrokenCircuitException", openEcho.Header("Execution-Exception-Type"));
        Assert.Equal(upstreamHits, failing.Hits);
    }

    [Fact]
    public async Task ResponseTimeoutMetadata_SlowUpstreamGets504()
    {
        await using var slow = await TestBackend.StartAsync("slow");
        await using var gw = await GatewayHost.StartAsync($$"""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: timed
                      uri: {{slow.Url}}
                      predicates: [ "Path=/timed/**" ]
                      metadata:
                        response-timeout: 1000
                        connect-timeout: 500
            """);
        // The first request JITs the proxy path and opens the connection: 1 s leaves room for a loaded CI machine.
        using var fast = await gw.Client.GetAsync("/timed/x");
        Assert.Equal(HttpStatusCode.OK, fast.StatusCode);
        using var r = await gw.Client.GetAsync("/timed/x?delayMs=3000");
        Assert.Equal(HttpStatusCode.GatewayTimeout, r.StatusCode);
    }
}
