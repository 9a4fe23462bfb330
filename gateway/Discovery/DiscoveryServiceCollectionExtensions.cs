using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Discovery.Client;
using Platform.Discovery.Client.Configuration;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Discovery;

internal static class DiscoveryServiceCollectionExtensions
{
    /// <summary>
    /// The shared registry client (libs/Platform.Discovery.Client) pointed at <c>Gateway:Discovery:EurekaUrl</c>,
    /// refreshed on the gateway's own schedule by <see cref="RegistrySyncService"/>; the gateway does not register itself.
    /// </summary>
    public static IServiceCollection AddGatewayDiscovery(this IServiceCollection services)
    {
        services.AddEurekaRegistryClient();
        services.AddOptions<EurekaClientOptions>().Configure<IOptions<GatewayOptions>>((o, gateway) =>
        {
            if (gateway.Value.Discovery.EurekaUrl is { Length: > 0 } url) o.ServiceUrl = url;
        });
        services.AddHostedService<RegistrySyncService>();
        return services;
    }
}
