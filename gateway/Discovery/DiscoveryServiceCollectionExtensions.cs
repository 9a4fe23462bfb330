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
    /// refreshed on the gateway's own schedule by <see cref="RegistrySyncService"/> (the gateway does not register
    /// itself) and, when Kafka is configured, kept current by <c>platform.registry</c> (<c>Gateway:RegistryTopic</c>).
    /// </summary>
    /// <param name="instance">Names this gateway's consumer group when Kafka is configured; null: no events, polls only.</param>
    public static IServiceCollection AddGatewayDiscovery(this IServiceCollection services, IConfiguration configuration, string? instance)
    {
        services.AddEurekaRegistryClient();
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
}
