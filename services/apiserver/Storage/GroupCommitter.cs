using System.Data;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Outbox;

namespace Platform.ApiServer.Storage;

/// <summary>
/// Group commit: single-object writes that arrive while a group transaction is in flight wait and share the next one,
/// so a burst of writes costs one round trip, one resourceVersion lock, one NOTIFY and one WAL flush instead of one
/// each. A write that finds nothing in flight commits at once, alone, so an idle apiserver adds no latency.
/// No thread of its own: the writer that finds nothing in flight leads its group, and on finishing hands the next
/// group (everything that queued meanwhile, up to <c>ApiServer:GroupCommit:MaxWrites</c> and <c>MaxBytes</c>) to the
/// first of its writers.
/// The ordering guarantee is unchanged: a group takes the resourceVersion lock before drawing its versions and
/// keeps it until its commit, as a single write does.
/// </summary>
internal sealed class GroupCommitter(NpgsqlDataSource db, ChangeLog log, ChangeNotifier notifier, IOptions<ApiServerOptions> options)
{
    private readonly GroupCommitOptions _options = options.Value.GroupCommit;
    private readonly Lock _gate = new();
    private readonly Queue<Member> _waiting = new();
    /// <summary>
    /// The resourceVersion the groups last wrote for each object (touched only by the one group in flight). An update
    /// that expects an older version is stale for certain; refusing it before the transaction spares the rest of its
    /// group a rerun. Under overload many updates of one object wait in the queue together, and a rerun per stale one
    /// cut what the apiserver achieved to a third (docs/apiserver.md, Group commit).
    /// </summary>
    private readonly Dictionary<(string Kind, string Namespace, string Name), long> _written = [];
    private const int WrittenLimit = 50_000;
    private bool _inFlight;

    public bool Enabled => _options.Enabled;

    /// <summary>Whether updates and deletions join groups (<c>ApiServer:GroupCommit:Updates</c>), not only creates.</summary>
    public bool Updates => _options.Updates;

    /// <summary>Whether a group is committing (tests wait on it and <see cref="Waiting"/> to know a group is forming).</summary>
    internal bool InFlight
    {
        get
        {
            lock (_gate) return _inFlight;
        }
    }

    /// <summary>Writes queued for the next group.</summary>
    internal int Waiting
    {
        get
        {
            lock (_gate) return _waiting.Count;
        }
    }

    /// <summary>Commits <paramref name="write"/> in a group transaction and returns its resourceVersion, or throws its own refusal.</summary>
    public async Task<long> CommitAsync(PendingWrite write)
    {
        var member = new Member(write);
        List<Member>? group = null;
        lock (_gate)
        {
            if (_inFlight) _waiting.Enqueue(member);
            else
            {
                _inFlight = true;
                group = [member];
            }
        }
        // A waiting member is either answered by another leader or handed the next group to lead.
        if (group is null && await Task.WhenAny(member.Outcome.Task, member.Lead.Task) == member.Lead.Task) group = await member.Lead.Task;
        if (group is not null) await LeadAsync(group);
        return await member.Outcome.Task;
    }

    /// <summary>Commits <paramref name="group"/>, then hands the writes that queued meanwhile to the next leader.</summary>
    private async Task LeadAsync(List<Member> group)
    {
        try
        {
            await CommitGroupAsync(group);
        }
        finally
        {
            List<Member>? next = null;
            lock (_gate)
            {
                if (_waiting.Count == 0) _inFlight = false;
                else next = TakeNext();
            }
            next?[0].Lead.SetResult(next);
        }
    }

    private List<Member> TakeNext()
    {
        var next = new List<Member> { _waiting.Dequeue() };
        var bytes = (long)next[0].Write.StoredJson.Length;
        while (_waiting.TryPeek(out var m) && next.Count < _options.MaxWrites && bytes + m.Write.StoredJson.Length <= _options.MaxBytes)
        {
            next.Add(_waiting.Dequeue());
            bytes += m.Write.StoredJson.Length;
        }
        return next;
    }

    /// <summary>
    /// Runs the group's writes in one transaction. A write SQL refuses (its name taken, its parent or row gone) aborts
    /// the transaction: it gets its own answer, and the others run again without it in a new transaction, so a refused
    /// write leaves nothing behind and never decides its batch-mates' answers. Any other failure (a lost connection)
    /// fails every write still in the group, none of which committed.
    /// </summary>
    private async Task CommitGroupAsync(List<Member> group)
    {
        var live = WithoutStale(group);
        try
        {
            await using var conn = await db.OpenConnectionAsync(CancellationToken.None);
            while (live.Count > 0)
            {
                var refused = await TryCommitAsync(conn, live);
                if (refused is null) break;
                live.Remove(refused);
            }
        }
        catch (Exception ex)
        {
            foreach (var m in live) m.Outcome.TrySetException(ex);
            return;
        }
        if (live.Count > 0) notifier.Signal();
    }

    /// <summary>
    /// The members whose write may still land. With grouped updates (<c>ApiServer:GroupCommit:Updates</c>; creates alone
    /// cannot be stale) an update expecting a version older than one a group already wrote, or a second write of an
    /// object earlier in the group, is refused now (<see cref="StaleGroupedWrite"/>: its caller reads again and writes
    /// outside a group). SQL still checks every expected version.
    /// </summary>
    private List<Member> WithoutStale(List<Member> group)
    {
        if (!_options.Updates) return [.. group];
        var live = new List<Member>(group.Count);
        var inGroup = new HashSet<(string, string, string)>();
        foreach (var m in group)
        {
            var key = Key(m.Write);
            var stale = !inGroup.Add(key) ||
                (m.Write.ExpectedVersion is { } expected && _written.TryGetValue(key, out var written) && written > expected);
            if (stale) m.Outcome.TrySetException(new StaleGroupedWrite());
            else live.Add(m);
        }
        return live;
    }

    private void Remember(List<Member> committed, List<long> versions)
    {
        if (!_options.Updates) return;
        if (_written.Count > WrittenLimit) _written.Clear();
        for (var i = 0; i < committed.Count; i++) _written[Key(committed[i].Write)] = versions[i];
    }

    private static (string, string, string) Key(PendingWrite w) => (w.Kind.Kind, w.Namespace, w.Name);

    /// <summary>One transaction for <paramref name="live"/>: the writes' versions on commit, or the write SQL refused (already answered) and nothing committed.</summary>
    private async Task<Member?> TryCommitAsync(NpgsqlConnection conn, List<Member> live)
    {
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.ReadCommitted, CancellationToken.None);
        await using var batch = new NpgsqlBatch(conn, tx);
        for (var i = 0; i < live.Count; i++)
            foreach (var command in live[i].Write.Commands(log, lockFirst: i == 0)) batch.BatchCommands.Add(command);
        batch.BatchCommands.Add(OutboxWriter.NotifyCommand());
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        var versions = new List<long>(live.Count);
        try
        {
            await WriteSession.ExecuteDrawingVersionsAsync(batch, versions, CancellationToken.None);
        }
        catch (PostgresException ex) when (ex.SqlState is Schema.ParentMissing or Schema.RowMissed && versions.Count > 0)
        {
            // Only a write's check or row statement refuses, and it runs after that write's nextval was read: the refused
            // write is the one whose version was drawn last.
            var refused = live[versions.Count - 1];
            refused.Outcome.TrySetException(refused.Write.Refused(ex));
            return refused;
        }
        if (versions.Count != live.Count) throw new InvalidOperationException($"group commit drew {versions.Count} resourceVersions for {live.Count} writes");
        Remember(live, versions);
        for (var i = 0; i < live.Count; i++) live[i].Outcome.TrySetResult(versions[i]);
        return null;
    }

    /// <summary>A write in the queue: its answer, or the group it is to lead.</summary>
    private sealed class Member(PendingWrite write)
    {
        public PendingWrite Write { get; } = write;
        public TaskCompletionSource<long> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource<List<Member>> Lead { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
