using Platform.Contracts.Registry;
using Platform.EventBus.Consuming;

namespace Platform.Gateway.Discovery;

/// <summary>Applies <c>platform.registry</c> events to the cache; the runtime republishes the clusters on change.</summary>
internal sealed class RegistryEventHandler(RegistryCache cache) : IEventHandler
{
    public Task HandleAsync(ConsumedEvent consumed, CancellationToken cancellationToken)
    {
        var e = consumed.Event.DataAs<RegistryEvent>() ?? throw new FormatException($"event {consumed.Event.Id}: empty RegistryEvent");
        cache.Apply(e);
        return Task.CompletedTask;
    }
}
