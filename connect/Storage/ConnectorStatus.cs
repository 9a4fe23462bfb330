namespace Platform.Connect.Storage;

/// <summary>
/// A connector's or task's state as Kafka Connect's status topic holds it: <c>state</c> (UNASSIGNED, RUNNING, PAUSED,
/// STOPPED, FAILED, RESTARTING), <c>trace</c> when it failed, the <c>worker_id</c> running it and the <c>generation</c>.
/// </summary>
internal sealed record ConnectorStatus(string State, string? Trace, string WorkerId, int Generation)
{
    public const string Unassigned = "UNASSIGNED";
    public const string Running = "RUNNING";
    public const string Paused = "PAUSED";
    public const string Stopped = "STOPPED";
    public const string Failed = "FAILED";
    public const string Restarting = "RESTARTING";
}
