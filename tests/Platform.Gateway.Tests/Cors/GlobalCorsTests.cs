using System.Net;
using Platform.Gateway.Tests.Infrastructure;

namespace Platform.Gateway.Tests.Cors;

public sealed class GlobalCorsTests
{
    [Fact]
    public async Task GlobalCors_PreflightAnsweredByGateway_ActualRequestGetsAllowOrigin()
    {
        await using var backend = await TestBackend.StartAsync();
        await using var gw = await GatewayHost.StartAsync($$"""
            spring:
              cloud:
                gateway:
                  globalcors:
                    cors-configurations:
                      '[/**]':
                        allowedOrigins: "https://docs.spring.io"
                        allowedMethods:
                          - GET
                          - POST
                        allowedHeaders: "*"
                        maxAge: 600
                  routes:
                    - id: api
                      uri: {{backend.Url}}
                      predicates: [ "Path=/api/**" ]
            """);

        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/x");
        preflight.Headers.Add("Origin", "https://docs.spring.io");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "X-Custom");
        using var p = await gw.Client.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.OK, p.StatusCode);
        Assert.Equal("https://docs.spring.io", p.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("GET,POST", p.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Equal("X-Custom", p.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.Equal(0, backend.Hits);

        var other = new HttpRequestMessage(HttpMethod.Options, "/api/x");
        other.Headers.Add("Origin", "https://evil.example");
        other.Headers.Add("Access-Control-Request-Method", "GET");
        using var denied = await gw.Client.SendAsync(other);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);

        var actual = new HttpRequestMessage(HttpMethod.Get, "/api/x");
        actual.Headers.Add("Origin", "https://docs.spring.io");
        using var a = await gw.Client.SendAsync(actual);
        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal("https://docs.spring.io", a.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
