using System.Net;
using Platform.Gateway.Tests.Infrastructure;

namespace Platform.Gateway.Tests.Configuration;

public sealed class YarpSectionTests
{
    [Fact]
    public async Task ReverseProxySection_ServesNextToSpringRoutes()
    {
        await using var spring = await TestBackend.StartAsync("spring");
        await using var yarp = await TestBackend.StartAsync("yarp");
        await using var gw = await GatewayHost.StartAsync($$"""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: spring-route
                      uri: {{spring.Url}}
                      predicates: [ "Path=/spring/**" ]
            """, new Dictionary<string, string?>
        {
            ["ReverseProxy:Routes:native:ClusterId"] = "native",
            ["ReverseProxy:Routes:native:Match:Path"] = "/native/{**rest}",
            ["ReverseProxy:Clusters:native:Destinations:d1:Address"] = yarp.Url,
        });

        using var s = await gw.Client.GetAsync("/spring/a");
        Assert.Equal("spring", s.Headers.GetValues("X-Backend").Single());
        using var n = await gw.Client.GetAsync("/native/b");
        Assert.Equal("yarp", n.Headers.GetValues("X-Backend").Single());
        Assert.Equal("/native/b", (await EchoResponse.ReadAsync(n)).Path);
        using var none = await gw.Client.GetAsync("/neither");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }
}
