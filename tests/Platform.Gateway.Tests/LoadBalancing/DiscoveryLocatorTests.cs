using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Platform.Discovery.Client.Registry;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Gateway.Tests.LoadBalancing;

public sealed class DiscoveryLocatorTests
{
    [Fact]
    public async Task Locator_RoutesLowerCaseServiceIdToItsInstances_StrippingThePrefix()
    {
        await using var backend = await TestBackend.StartAsync("orders");
        await using var eureka = await FakeEureka.StartAsync();
        eureka.Put("ORDER-SERVICE", "o1", backend.Port);
        await using var gw = await GatewayHost.StartAsync("""
            spring:
              cloud:
                gateway:
                  discovery:
                    locator:
                      enabled: true
                      lower-case-service-id: true
            """, new Dictionary<string, string?> { ["Gateway:Discovery:EurekaUrl"] = eureka.EurekaUrl });

        var echo = await Eventually.WaitAsync(async () =>
        {
            using var r = await gw.Client.GetAsync("/order-service/orders/42");
            return r.StatusCode == HttpStatusCode.OK ? await EchoResponse.ReadAsync(r) : null;
        }, TimeSpan.FromSeconds(10), "the locator route");
        Assert.Equal("/orders/42", echo.Path);
        Assert.Equal("orders", echo.Backend);
        Assert.Single(gw.Services.GetRequiredService<IDiscoveryClient>().GetInstances("ORDER-SERVICE"));
    }
}
