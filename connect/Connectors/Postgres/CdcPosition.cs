using System.Globalization;
using System.Text;

namespace Platform.Connect.Connectors.Postgres;

/// <summary>
/// Where one record stands in the connector's output, totally ordered: snapshot rows (ordered by the slot's consistent
/// point, then the row's place in the snapshot) before streamed events (ordered by their transaction's commit LSN, then
/// the event's place in the transaction), and a delete's tombstone just after its delete event. Several rows of one
/// transaction share the commit LSN, hence the serial; the record part keeps the tombstone apart from its delete.
/// Every record carries its position in the header <see cref="Header"/>, so the last record of a topic partition says
/// how far the connector's output reached Kafka, whether or not its offset was committed.
/// </summary>
internal readonly record struct CdcPosition(bool Streaming, ulong Lsn, long Serial, int Part) : IComparable<CdcPosition>
{
    /// <summary>The record's own position.</summary>
    public const string Header = "__platform.cdc.position";

    /// <summary>The position of the first record of the poll that returned the record (see <see cref="PostgresConnectorTask"/>).</summary>
    public const string BatchHeader = "__platform.cdc.batch";

    public static CdcPosition Snapshot(ulong consistentPoint, long row) => new(false, consistentPoint, row, 0);

    public static CdcPosition Change(ulong commitLsn, long serial, bool tombstone) => new(true, commitLsn, serial, tombstone ? 1 : 0);

    public int CompareTo(CdcPosition other)
    {
        var c = Streaming.CompareTo(other.Streaming);
        if (c == 0) c = Lsn.CompareTo(other.Lsn);
        if (c == 0) c = Serial.CompareTo(other.Serial);
        return c != 0 ? c : Part.CompareTo(other.Part);
    }

    public static bool operator <(CdcPosition a, CdcPosition b) => a.CompareTo(b) < 0;
    public static bool operator >(CdcPosition a, CdcPosition b) => a.CompareTo(b) > 0;
    public static bool operator <=(CdcPosition a, CdcPosition b) => a.CompareTo(b) <= 0;
    public static bool operator >=(CdcPosition a, CdcPosition b) => a.CompareTo(b) >= 0;

    /// <summary><c>s:&lt;lsn&gt;:&lt;serial&gt;:&lt;part&gt;</c> for streamed events, <c>r:…</c> for snapshot rows.</summary>
    public byte[] ToBytes() => Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{(Streaming ? 's' : 'r')}:{Lsn}:{Serial}:{Part}"));

    public static CdcPosition? Parse(byte[]? value)
    {
        var parts = value is null ? [] : Encoding.ASCII.GetString(value).Split(':');
        if (parts.Length != 4 || parts[0] is not ("s" or "r")
            || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var lsn)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var serial)
            || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var part))
            return null;
        return new CdcPosition(parts[0] == "s", lsn, serial, part);
    }

    public override string ToString() => Encoding.ASCII.GetString(ToBytes());
}
