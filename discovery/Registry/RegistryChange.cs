namespace Platform.Discovery.Registry;

/// <summary>What happened to an instance; observers (events, replication, cache) react to it.</summary>
internal enum RegistryChangeKind
{
    Registered,
    Heartbeat,
    StatusChanged,
    StatusOverrideDeleted,
    MetadataChanged,
    Cancelled,
    Expired,
}

/// <summary>One registry change, with the instance as it is after the change (before it, for removals).</summary>
internal sealed record RegistryChange(RegistryChangeKind Kind, InstanceInfo Instance, bool IsReplication, long Timestamp);
