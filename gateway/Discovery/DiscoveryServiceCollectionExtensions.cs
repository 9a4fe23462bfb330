using Microsoft.Extensions.DependencyInjection;

namespace Platform.Gateway.Discovery;

internal static class DiscoveryServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayDiscovery(this IServiceCollection services)
    {
        services.AddHttpClient<EurekaClient>(c => c.Timeout = TimeSpan.FromSeconds(5));
        services.AddHostedService<RegistrySyncService>();
        return services;
    }
}
