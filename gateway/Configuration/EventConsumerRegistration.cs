using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Events;
using Platform.EventBus;
using Platform.Gateway.Auth;
using Platform.Gateway.Discovery;

namespace Platform.Gateway.Configuration;

internal static class EventConsumerRegistration
{
    /// <summary>
    /// Each gateway instance is a group of its own (every instance must see every event), reading from the start of
    /// the retained log: routes are rebuilt that way, and replayed registry events converge on the registry's state
    /// (events older than what the start-up fetch returned are ignored by timestamp), so nothing published while the
    /// group was joining is lost.
    /// </summary>
    public static IServiceCollection AddGatewayEventConsumers(this IServiceCollection services, IConfiguration configuration)
    {
        var instance = configuration["Gateway:InstanceId"] is { Length: > 0 } id ? id : $"{Environment.MachineName}-{Guid.NewGuid():N}"[..Math.Min(Environment.MachineName.Length + 9, 60)];
        var routesTopic = configuration["Gateway:RoutesTopic"] is { Length: > 0 } rt ? rt : Topics.Routes;
        var registryTopic = configuration["Gateway:RegistryTopic"] is { Length: > 0 } gt ? gt : Topics.Registry;
        services.AddEventConsumer<RouteResourceHandler>(o =>
        {
            o.GroupId = $"gateway-routes-{instance}";
            o.Topics.Add(routesTopic);
            o.AutoOffsetReset = AutoOffsetReset.Earliest;
            o.CommitInterval = TimeSpan.FromSeconds(1);
        });
        services.AddEventConsumer<RegistryEventHandler>(o =>
        {
            o.GroupId = $"gateway-registry-{instance}";
            o.Topics.Add(registryTopic);
            o.AutoOffsetReset = AutoOffsetReset.Earliest;
            o.CommitInterval = TimeSpan.FromSeconds(1);
        });
        services.AddApiKeySecretEvents(configuration, instance);
        if (configuration["Gateway:Routes:ApiServerUrl"] is { Length: > 0 } apiServer)
        {
            if (!Uri.TryCreate(apiServer, UriKind.Absolute, out _))
                throw new InvalidOperationException($"Gateway:Routes:ApiServerUrl: '{apiServer}' is not an absolute URL");
            services.AddSingleton(new RouteListerSettings(apiServer, configuration["Gateway:Routes:Token"] ?? configuration["PLATFORM_ADMIN_TOKEN"]));
            services.AddHttpClient<RouteResourceLister>(c => c.Timeout = TimeSpan.FromSeconds(10));
            services.AddHostedService(sp => sp.GetRequiredService<RouteResourceLister>());
        }
        return services;
    }
}
