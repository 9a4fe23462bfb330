namespace Platform.ApiServer;

/// <summary><c>ApiServer:GroupCommit</c>: how single-object writes share transactions (see <c>Storage/GroupCommitter</c>).</summary>
public sealed class GroupCommitOptions
{
    /// <summary><c>ApiServer:GroupCommit:Enabled</c>: writes that arrive while a commit is in flight share the next transaction.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// <c>ApiServer:GroupCommit:Updates</c>: updates and deletions join groups too (off: only creates do). A grouped
    /// update is checked against the version its request read, and under overload many updates of one object wait
    /// in the queue together: all but the first are stale and run again on their own, and the apiserver achieved a
    /// third of the rate it did with them off (docs/apiserver.md, Group commit).
    /// </summary>
    public bool Updates { get; set; }

    /// <summary>
    /// <c>ApiServer:GroupCommit:MaxWrites</c>: the most writes in one group transaction (1-256). Larger groups amortise
    /// the round trip and WAL flush further but each writer waits for the whole group's statements.
    /// </summary>
    public int MaxWrites { get; set; } = 64;

    /// <summary><c>ApiServer:GroupCommit:MaxBytes</c>: the most stored JSON in one group (a larger single write still commits, alone).</summary>
    public long MaxBytes { get; set; } = 4 * 1024 * 1024;
}
