using Platform.Gateway.Tests.Infrastructure;

namespace Platform.Gateway.Tests.Filters;

public sealed class ObservabilityTests
{
    [Fact]
    public async Task EveryRequest_CountsPerRouteMetrics_LogsAccessLine_PropagatesTraceparent()
    {
        await using var backend = await TestBackend.StartAsync();
        var routeId = "observed-" + Guid.NewGuid().ToString("N")[..8];
        await using var gw = await GatewayHost.StartAsync($$"""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: {{routeId}}
                      uri: {{backend.Url}}
                      predicates: [ "Path=/observed/**" ]
            """);
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var req = new HttpRequestMessage(HttpMethod.Get, "/observed/x?status=404");
        req.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        // The test process also hosts the gateway's tracing, so its own client must not replace our traceparent.
        using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = new Uri(gw.Url) };
        using var r = await client.SendAsync(req);
        var echo = await EchoResponse.ReadAsync(r);
        Assert.Contains(traceId, echo.Header("traceparent"), StringComparison.Ordinal);

        var metrics = await gw.Client.GetStringAsync("/metrics");
        Assert.Contains($"gateway_route_requests_total{{route=\"{routeId}\",method=\"GET\",status=\"404\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains($"gateway_route_request_duration_seconds_count{{route=\"{routeId}\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains(gw.Logs.Lines, l => l.StartsWith("GET /observed/x route=" + routeId + " status=404", StringComparison.Ordinal));
    }
}
