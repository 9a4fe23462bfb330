using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Platform.Gateway.RateLimiting.Fleet;

internal static class FleetServiceCollectionExtensions
{
    /// <summary>The fleet's shared buckets (<see cref="FleetBuckets"/>); a gateway without <c>Gateway:RateLimiter:Fleet</c> keeps its own.</summary>
    public static IServiceCollection AddGatewayFleetRateLimiting(this IServiceCollection services)
    {
        services.AddHttpClient(FleetBuckets.HttpClientName);
        services.TryAddSingleton<FleetMembership>();
        services.TryAddSingleton<FleetBuckets>();
        return services;
    }
}
