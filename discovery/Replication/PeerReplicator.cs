using System.Threading.Channels;
using Platform.Discovery.Registry;

namespace Platform.Discovery.Replication;

/// <summary>
/// Turns changes that clients made on this server into replication tasks for the peers. Changes that arrived
/// by replication are not forwarded again (no loops); evictions are not replicated, each server evicts itself.
/// </summary>
internal sealed class PeerReplicator : IRegistryObserver
{
    // Bounded so a long-dead peer cannot exhaust memory; the oldest tasks go first and heartbeats repair the rest
    // (a heartbeat answered 404 makes us send a Register).
    private readonly Channel<ReplicationTask> _outbox = Channel.CreateBounded<ReplicationTask>(
        new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    // Nothing is queued unless peers are configured: heartbeats are the hot path.
    private volatile bool _active;

    public PeerReplicator(IConfiguration configuration) => _active = PeerUrls.FromConfiguration(configuration).Count > 0;

    public ChannelReader<ReplicationTask> Outbox => _outbox.Reader;

    public void OnChanged(RegistryChange change)
    {
        if (change.IsReplication || !_active) return;
        var i = change.Instance;
        var task = change.Kind switch
        {
            RegistryChangeKind.Registered or RegistryChangeKind.MetadataChanged => RegisterTask(i),
            RegistryChangeKind.Heartbeat => new ReplicationTask(ReplicationTask.Heartbeat, i.App, i.InstanceId,
                EurekaNames.Of(i.Status), EurekaNames.Of(i.OverriddenStatus), i.LastDirtyTimestamp, null),
            RegistryChangeKind.StatusChanged => new ReplicationTask(ReplicationTask.StatusUpdate, i.App, i.InstanceId,
                EurekaNames.Of(i.Status), EurekaNames.Of(i.OverriddenStatus), i.LastDirtyTimestamp, null),
            RegistryChangeKind.StatusOverrideDeleted => new ReplicationTask(ReplicationTask.DeleteStatusOverride, i.App, i.InstanceId,
                EurekaNames.Of(i.Status), null, i.LastDirtyTimestamp, null),
            RegistryChangeKind.Cancelled => new ReplicationTask(ReplicationTask.Cancel, i.App, i.InstanceId, null, null, i.LastDirtyTimestamp, null),
            _ => null,
        };
        if (task is not null) _outbox.Writer.TryWrite(task);
    }

    public static ReplicationTask RegisterTask(InstanceInfo i) =>
        new(ReplicationTask.Register, i.App, i.InstanceId, EurekaNames.Of(i.Status), EurekaNames.Of(i.OverriddenStatus),
            i.LastDirtyTimestamp, i);

    /// <summary>Stops queueing when this server turned out to have no peers (its own URL was the only one listed).</summary>
    public void Deactivate()
    {
        _active = false;
        while (_outbox.Reader.TryRead(out _)) { }
    }
}
