using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Contracts.Events;
using Platform.Discovery.Client;
using Platform.Discovery.Client.Configuration;
using Platform.EventBus;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Discovery;

internal static class DiscoveryServiceCollectionExtensions
{
    /// <summary>
    /// The shared registry client (libs/Platform.Discovery.Client) pointed at <c>Gateway:Discovery:EurekaUrl</c>,
    /// refreshed on the gateway's own schedule by <see cref="RegistrySyncService"/> (the gateway registers itself
    /// only as a member of a rate-limiting fleet, <see cref="RegistersItself"/>) and, when Kafka is configured, kept current by <c>platform.registry</c> (<c>Gateway:RegistryTopic</c>).
    /// </summary>
    /// <param name="instance">Names this gateway's consumer group when Kafka is configured; null: no events, polls only.</param>
    public static IServiceCollection AddGatewayDiscovery(this IServiceCollection services, IConfiguration configuration, string? instance)
    {
        services.AddEurekaRegistryClient();
        if (RegistersItself(configuration))
        {
            // One of the fleet: the other replicas find this one in the registry (RateLimiting/Fleet).
            services.AddEurekaRegistration();
            services.AddOptions<EurekaInstanceOptions>().Configure<IOptions<GatewayOptions>>((o, gateway) => o.AppName ??= gateway.Value.RateLimiter.Fleet.App);
        }
        services.AddOptions<EurekaClientOptions>().Configure<IOptions<GatewayOptions>>((o, gateway) =>
        {
            if (gateway.Value.Discovery.EurekaUrl is { Length: > 0 } url) o.ServiceUrl = url;
        });
        services.AddSingleton<RegistryReadiness>();
        services.AddHealthChecks().AddCheck<RegistryReadiness>("gateway-registry", tags: [Platform.ServiceDefaults.PlatformDefaultsExtensions.ReadyTag]);
        services.AddHostedService<RegistrySyncService>();
        if (instance is null) return services;
        // From the start of the retained log: replayed events converge on the registry's state (one older than the
        // instance the start-up fetch returned is ignored by timestamp), so nothing published while joining is lost.
        services.AddEventConsumer<RegistryEventHandler>(o =>
        {
            o.GroupId = $"gateway-registry-{instance}";
            o.Topics.Add(configuration["Gateway:RegistryTopic"] is { Length: > 0 } topic ? topic : Topics.Registry);
            o.AutoOffsetReset = AutoOffsetReset.Earliest;
            o.CommitInterval = TimeSpan.FromSeconds(1);
        });
        return services;
    }

    /// <summary>
    /// <c>Gateway:Discovery:Register</c> (default: on when <c>Gateway:RateLimiter:Fleet:App</c> is set): registers this
    /// gateway under the fleet's application (or <c>eureka:instance:appName</c>), when a registry URL is configured.
    /// </summary>
    private static bool RegistersItself(IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration["Gateway:Discovery:EurekaUrl"] ?? configuration["EUREKA_URL"])) return false;
        return bool.TryParse(configuration["Gateway:Discovery:Register"], out var register)
            ? register
            : !string.IsNullOrWhiteSpace(configuration["Gateway:RateLimiter:Fleet:App"]);
    }
}
