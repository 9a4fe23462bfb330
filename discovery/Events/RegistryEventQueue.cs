using System.Threading.Channels;
using Platform.Contracts.Registry;
using Platform.Discovery.Registry;

namespace Platform.Discovery.Events;

/// <summary>
/// Turns registrations, status changes, cancels and expiries made on this server into <see cref="RegistryEvent"/>s,
/// in registry order. Heartbeats and metadata changes are not events; changes replicated from a peer are
/// published by the peer that received them.
/// </summary>
internal sealed class RegistryEventQueue : IRegistryObserver
{
    private readonly Channel<RegistryEvent> _events = Channel.CreateUnbounded<RegistryEvent>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<RegistryEvent> Reader => _events.Reader;

    public void OnChanged(RegistryChange change)
    {
        if (change.IsReplication && change.Kind != RegistryChangeKind.Expired) return;
        var action = change.Kind switch
        {
            RegistryChangeKind.Registered => RegistryEvent.Actions.Registered,
            RegistryChangeKind.StatusChanged or RegistryChangeKind.StatusOverrideDeleted => RegistryEvent.Actions.StatusChanged,
            RegistryChangeKind.Cancelled => RegistryEvent.Actions.Cancelled,
            RegistryChangeKind.Expired => RegistryEvent.Actions.Expired,
            _ => null,
        };
        if (action is null) return;
        var i = change.Instance;
        _events.Writer.TryWrite(new RegistryEvent
        {
            Action = action,
            App = i.App,
            InstanceId = i.InstanceId,
            Status = EurekaNames.Of(i.Status),
            HostName = i.HostName,
            IpAddr = i.IpAddr,
            Port = i.PortEnabled ? i.Port : null,
            SecurePort = i.SecurePortEnabled ? i.SecurePort : null,
            SecurePortEnabled = i.SecurePortEnabled,
            VipAddress = i.VipAddress,
            SecureVipAddress = i.SecureVipAddress,
            Metadata = i.Metadata.Count == 0 ? null : i.Metadata,
            Timestamp = change.Timestamp,
        });
    }
}
