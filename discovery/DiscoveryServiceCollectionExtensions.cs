using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.Discovery.Api;
using Platform.Discovery.Configuration;
using Platform.Discovery.Events;
using Platform.Discovery.Leases;
using Platform.Discovery.Registry;
using Platform.Discovery.Replication;
using Platform.EventBus;

namespace Platform.Discovery;

public static class DiscoveryServiceCollectionExtensions
{
    /// <summary>
    /// The registry, its leases and eviction, peer replication, and, when Kafka is configured
    /// (<c>Kafka:BootstrapServers</c> or <c>PLATFORM_KAFKA_BOOTSTRAP</c>), publishing on <c>platform.registry</c>.
    /// </summary>
    public static IHostApplicationBuilder AddDiscoveryServer(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EurekaServerOptions>().BindConfiguration(EurekaServerOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EurekaServerOptions>, EurekaServerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RenewalRate>();
        services.AddSingleton<SelfPreservation>();
        services.AddSingleton<InstanceRegistry>();
        services.AddSingleton<ResponseCache>();
        services.AddSingleton<BasicAuthFilter>();
        services.AddHostedService<EvictionService>();
        services.AddHostedService<ResponseCacheWarmer>();

        services.AddSingleton<PeerStatus>();
        services.AddSingleton<PeerReplicator>();
        services.AddSingleton<IRegistryObserver>(sp => sp.GetRequiredService<PeerReplicator>());
        services.AddHttpClient(PeerReplicationService.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(5));
        services.AddHostedService<PeerReplicationService>();

        if (!string.IsNullOrWhiteSpace(builder.Configuration["Kafka:BootstrapServers"] ?? builder.Configuration["PLATFORM_KAFKA_BOOTSTRAP"]))
        {
            services.AddEventBus();
            services.AddSingleton<RegistryEventQueue>();
            services.AddSingleton<IRegistryObserver>(sp => sp.GetRequiredService<RegistryEventQueue>());
            services.AddHostedService<RegistryRestore>();
            services.AddHostedService<RegistryEventPublisher>();
        }
        return builder;
    }
}
