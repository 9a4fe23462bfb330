namespace Platform.Discovery.Replication;

/// <summary>
/// One entry of Eureka's <c>replicationList</c>: <c>action</c> is Register, Heartbeat, Cancel, StatusUpdate or
/// DeleteStatusOverride; <see cref="Instance"/> is sent as <c>instanceInfo</c> for Register.
/// </summary>
internal sealed record ReplicationTask(string Action, string AppName, string Id, string? Status, string? OverriddenStatus,
    long LastDirtyTimestamp, Platform.Discovery.Registry.InstanceInfo? Instance)
{
    public const string Register = "Register";
    public const string Heartbeat = "Heartbeat";
    public const string Cancel = "Cancel";
    public const string StatusUpdate = "StatusUpdate";
    public const string DeleteStatusOverride = "DeleteStatusOverride";
}
