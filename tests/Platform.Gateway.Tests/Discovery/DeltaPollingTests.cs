using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Discovery.Client.Registry;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Gateway.Tests.Discovery;

/// <summary>Without Kafka the gateway keeps its registry copy current with Eureka's delta fetches.</summary>
public sealed class DeltaPollingTests
{
    [Fact]
    public async Task WithoutKafka_DeltaPolling_PicksUpNewAndStoppedInstances()
    {
        await using var registry = await RegistryStack.StartAsync(null, "unused");
        var (_, portA) = await registry.StartSampleAsync("my-first-service");
        await using var gw = await GatewayHost.StartAsync("""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: first
                      uri: lb://my-first-service
                      predicates: [ "Path=/first-service/**" ]
            """, new Dictionary<string, string?>
        {
            ["Gateway:Discovery:EurekaUrl"] = registry.EurekaUrl,
            ["Gateway:Discovery:PollInterval"] = "00:00:00.200",
        });
        async Task<string> CheckAsync()
        {
            using var r = await gw.Client.GetAsync("/first-service/check");
            return r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadAsStringAsync() : $"status {(int)r.StatusCode}";
        }
        await Eventually.WaitAsync(async () => await CheckAsync() == $"HI Port {portA}", TimeSpan.FromSeconds(20), "instance A");

        var (appB, portB) = await registry.StartSampleAsync("my-first-service");
        await Eventually.WaitAsync(async () => await CheckAsync() == $"HI Port {portB}", TimeSpan.FromSeconds(20), "instance B through delta polling");

        await appB.StopAsync(TimeSpan.FromSeconds(5));
        await Eventually.WaitAsync(async () =>
        {
            for (var i = 0; i < 10; i++) if (await CheckAsync() != $"HI Port {portA}") return false;
            return true;
        }, TimeSpan.FromSeconds(20), "only instance A after B deregistered");

        Assert.Contains("GET /eureka/apps/delta", registry.Requests);
        var registryCopy = gw.Services.GetRequiredService<IDiscoveryClient>();
        // B may pass through DOWN before its DELETED delta arrives; the copy converges on the registry's hash.
        await Eventually.WaitAsync(() => registryCopy.Applications.ComputeHashCode() == "UP_1_", TimeSpan.FromSeconds(10), "the registry copy to reconcile to UP_1_");
    }
}
