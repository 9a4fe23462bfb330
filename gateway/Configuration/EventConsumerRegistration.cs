using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Events;
using Platform.EventBus;
using Platform.Gateway.Discovery;

namespace Platform.Gateway.Configuration;

internal static class EventConsumerRegistration
{
    /// <summary>
    /// Names this gateway's own consumer groups: <c>Gateway:InstanceId</c>, else host name and a random suffix. Each
    /// gateway instance is a group of its own, since every instance must see every event.
    /// </summary>
    public static string InstanceId(IConfiguration configuration) =>
        configuration["Gateway:InstanceId"] is { Length: > 0 } id ? id : $"{Environment.MachineName}-{Guid.NewGuid():N}"[..Math.Min(Environment.MachineName.Length + 9, 60)];

    /// <summary>
    /// <c>platform.registry</c>, read from the start of the retained log: replayed
    /// registry events converge on the registry's state (events older than what the start-up fetch returned are
    /// ignored by timestamp), so nothing published while the group was joining is lost.
    /// </summary>
    public static IServiceCollection AddGatewayEventConsumers(this IServiceCollection services, IConfiguration configuration, string instance)
    {
        var registryTopic = configuration["Gateway:RegistryTopic"] is { Length: > 0 } gt ? gt : Topics.Registry;
        services.AddEventConsumer<RegistryEventHandler>(o =>
        {
            o.GroupId = $"gateway-registry-{instance}";
            o.Topics.Add(registryTopic);
            o.AutoOffsetReset = AutoOffsetReset.Earliest;
            o.CommitInterval = TimeSpan.FromSeconds(1);
        });
        return services;
    }
}
