using Platform.Connect.Connectors.Postgres;

namespace Platform.Connect.Tests.Connectors;

/// <summary>The CDC connector's column values (Debezium's default mappings) and its offsets' resume rule.</summary>
public sealed class CdcValuesTests
{
    [Theory]
    [InlineData(16u, "t", true)]
    [InlineData(16u, "false", false)]
    [InlineData(20u, "9007199254740993", 9007199254740993L)]
    [InlineData(1082u, "1970-01-11", 10)]
    [InlineData(1114u, "2024-01-02 03:04:05.25", 1704164645250000L)]
    [InlineData(1184u, "2024-01-02 05:04:05.123456+02", "2024-01-02T03:04:05.123456Z")]
    [InlineData(1184u, "2024-01-02 08:34:05+05:30", "2024-01-02T03:04:05.000000Z")]
    [InlineData(1700u, "12.50", 12.5)]
    [InlineData(2950u, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")]
    public void TextForms_BecomeDebeziumValues(uint type, string text, object expected) =>
        Assert.Equal(expected, PgValues.Parse(type, text, decimalAsString: false));

    [Fact]
    public void Bytea_HexForm_BecomesBytes_AndNumericCanStayAString()
    {
        Assert.Equal(new byte[] { 0x0a, 0xff }, PgValues.Parse(17, "\\x0aff", false));
        Assert.Equal("12.50", PgValues.Parse(1700, "12.50", decimalAsString: true));
        Assert.Equal("io.debezium.time.MicroTimestamp", PgValues.Schema(1114, true, false).Name);
    }

    [Fact]
    public void StreamingOffset_CoversEarlierTransactions_AndEarlierEventsOfItsOwn()
    {
        var stored = CdcOffset.From(new CdcOffset(500, 480, 2, 7, 0, Snapshot: false, LastSnapshotRecord: false).ToMap())!;
        Assert.Equal(480UL, stored.ResumeLsn);
        Assert.True(stored.Covers(400, 9));
        Assert.True(stored.Covers(480, 2));
        Assert.False(stored.Covers(480, 3));
        Assert.False(stored.Covers(600, 1));
    }

    [Fact]
    public void SnapshotOffset_IsCompleteOnlyAtItsLastRecord_AndCoversNoStreamedEvent()
    {
        var midway = CdcOffset.From(new Dictionary<string, object?> { ["lsn"] = 100L, ["snapshot"] = true, ["last_snapshot_record"] = false })!;
        var last = CdcOffset.From(new Dictionary<string, object?> { ["lsn"] = 100L, ["snapshot"] = true, ["last_snapshot_record"] = true })!;
        Assert.False(midway.SnapshotCompleted);
        Assert.True(last.SnapshotCompleted);
        Assert.Equal(100UL, last.ResumeLsn);
        Assert.False(last.Covers(100, 1));
    }
}
