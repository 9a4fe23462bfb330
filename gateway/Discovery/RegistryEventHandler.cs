using Platform.Contracts.Registry;
using Platform.Discovery.Client.Registry;
using Platform.EventBus.Consuming;

namespace Platform.Gateway.Discovery;

/// <summary>
/// Applies <c>platform.registry</c> events to the shared registry client's copy, so a registration or a cancel is
/// routed on within a second instead of at the next fetch; the runtime republishes the clusters on its change token.
/// </summary>
internal sealed class RegistryEventHandler(IDiscoveryClient registry) : IEventHandler
{
    public Task HandleAsync(ConsumedEvent consumed, CancellationToken cancellationToken)
    {
        var e = consumed.Event.DataAs<RegistryEvent>() ?? throw new FormatException($"event {consumed.Event.Id}: empty RegistryEvent");
        if (ToChange(e, Held(e)) is { } change) registry.Apply(change);
        return Task.CompletedTask;
    }

    private EurekaInstance? Held(RegistryEvent e) =>
        registry.Applications.Apps.TryGetValue(e.App, out var instances) ? instances.FirstOrDefault(i => i.InstanceId == e.InstanceId) : null;

    /// <summary>The change an event stands for; null for a status change of an instance whose address is unknown.</summary>
    private static EurekaInstance? ToChange(RegistryEvent e, EurekaInstance? held)
    {
        var app = e.App.ToUpperInvariant();
        if (e.Action is RegistryEvent.Actions.Cancelled or RegistryEvent.Actions.Expired)
            return new EurekaInstance { InstanceId = e.InstanceId, AppName = app, HostName = held?.HostName ?? "", ActionType = "DELETED", LastUpdatedTimestamp = e.Timestamp };
        var host = e.IpAddr ?? e.HostName ?? held?.HostName;
        var port = e.SecurePortEnabled ? e.SecurePort : e.Port;
        if (host is null || port is null)
        {
            // A status change may carry only the status: keep the address known.
            return held is null ? null : held with { Status = e.Status, ActionType = "MODIFIED", LastUpdatedTimestamp = e.Timestamp };
        }
        return new EurekaInstance
        {
            InstanceId = e.InstanceId,
            AppName = app,
            // An event without an address keeps the one known.
            HostName = e.HostName ?? e.IpAddr ?? host,
            IpAddr = e.IpAddr ?? (e.HostName is null ? held?.IpAddr : null),
            Port = e.Port ?? 0,
            SecurePort = e.SecurePort ?? 0,
            SecurePortEnabled = e.SecurePortEnabled,
            Status = e.Status,
            VipAddress = e.VipAddress,
            Metadata = e.Metadata ?? held?.Metadata ?? new Dictionary<string, string>(),
            ActionType = held is null ? "ADDED" : "MODIFIED",
            LastUpdatedTimestamp = e.Timestamp,
        };
    }
}
