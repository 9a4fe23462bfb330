using System.Globalization;

namespace Platform.Connect.Connectors.Postgres;

/// <summary>
/// Where the connector stands, stored by the worker under the partition <c>{"server": topic.prefix}</c> (Debezium's):
/// during the snapshot <c>{"snapshot":true,"last_snapshot_record","lsn"}</c> with the slot's consistent point; while
/// streaming <c>{"lsn","lsn_commit","event_serial_no","txId","ts_usec"}</c>: the commit LSN of the transaction of the
/// last committed event and that event's position in it. A restart streams from <c>lsn_commit</c>, so the transaction
/// is decoded again, and skips the events it already committed.
/// </summary>
internal sealed record CdcOffset(ulong Lsn, ulong? CommitLsn, long EventSerial, uint? TxId, long TsUsec, bool Snapshot, bool LastSnapshotRecord)
{
    public bool SnapshotCompleted => !Snapshot || LastSnapshotRecord;

    /// <summary>Where streaming resumes, and how far the slot may be confirmed once this offset is committed.</summary>
    public ulong ResumeLsn => CommitLsn ?? Lsn;

    /// <summary>True for an event at or before this offset (already committed before a restart).</summary>
    public bool Covers(ulong commitLsn, long serial) =>
        CommitLsn is { } c && (commitLsn < c || (commitLsn == c && serial <= EventSerial));

    public static IReadOnlyDictionary<string, object?> Partition(string server) => new Dictionary<string, object?> { ["server"] = server };

    public IReadOnlyDictionary<string, object?> ToMap()
    {
        var map = new Dictionary<string, object?> { ["lsn"] = (long)Lsn, ["ts_usec"] = TsUsec };
        if (TxId is { } tx) map["txId"] = (long)tx;
        if (Snapshot)
        {
            map["snapshot"] = true;
            map["last_snapshot_record"] = LastSnapshotRecord;
        }
        else
        {
            map["lsn_commit"] = (long)(CommitLsn ?? Lsn);
            map["lsn_proc"] = (long)Lsn;
            map["event_serial_no"] = EventSerial;
        }
        return map;
    }

    public static CdcOffset? From(IReadOnlyDictionary<string, object?>? map)
    {
        if (map is null || !map.TryGetValue("lsn", out var lsn) || lsn is null) return null;
        var snapshot = map.GetValueOrDefault("snapshot") is true;
        return new CdcOffset(
            (ulong)Long(lsn),
            snapshot || map.GetValueOrDefault("lsn_commit") is not { } c ? null : (ulong)Long(c),
            map.GetValueOrDefault("event_serial_no") is { } n ? Long(n) : 0,
            map.GetValueOrDefault("txId") is { } t ? (uint)Long(t) : null,
            map.GetValueOrDefault("ts_usec") is { } ts ? Long(ts) : 0,
            snapshot,
            map.GetValueOrDefault("last_snapshot_record") is true);
    }

    private static long Long(object value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);
}
