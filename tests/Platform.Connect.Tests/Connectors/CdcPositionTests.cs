using Platform.Connect.Connectors.Postgres;

namespace Platform.Connect.Tests.Connectors;

/// <summary>
/// The CDC records' positions (a total order over snapshot rows, streamed events and tombstones) and the rules that
/// decide, from the last records of the topics, what a previous run already put in Kafka.
/// </summary>
public sealed class CdcPositionTests
{
    private const string Topic = "app.public.t";

    [Fact]
    public void Positions_OrderSnapshotRows_ThenTransactions_ThenEventsInOne_ThenTheTombstoneAfterItsDelete()
    {
        CdcPosition[] ordered =
        [
            CdcPosition.Snapshot(900, 1),
            CdcPosition.Snapshot(900, 2),
            CdcPosition.Snapshot(1000, 1), // a later snapshot (a new slot) comes after the whole earlier one
            CdcPosition.Change(500, 1, tombstone: false), // streamed events follow every snapshot row, whatever their LSN
            CdcPosition.Change(500, 2, tombstone: false),
            CdcPosition.Change(500, 2, tombstone: true),
            CdcPosition.Change(500, 3, tombstone: false),
            CdcPosition.Change(501, 1, tombstone: false),
        ];
        for (var i = 0; i < ordered.Length - 1; i++)
        {
            Assert.True(ordered[i] < ordered[i + 1], $"{ordered[i]} < {ordered[i + 1]}");
            Assert.False(ordered[i + 1] <= ordered[i], $"{ordered[i + 1]} <= {ordered[i]}");
        }
        Assert.Equal(ordered, ordered.Reverse().Order());
    }

    [Theory]
    [InlineData("s:18446744073709551615:7:1")]
    [InlineData("r:100:3:0")]
    public void Position_RoundTripsThroughItsHeader(string text)
    {
        var position = CdcPosition.Parse(System.Text.Encoding.ASCII.GetBytes(text))!.Value;
        Assert.Equal(text, position.ToString());
        Assert.Equal(position, CdcPosition.Parse(position.ToBytes()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("s:1:2")]
    [InlineData("x:1:2:0")]
    [InlineData("s:-1:2:0")]
    public void Position_FromAForeignHeader_IsNone(string text) => Assert.Null(CdcPosition.Parse(System.Text.Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void OnePartition_EverythingUpToItsLastRecordIsPublished_IncludingADeleteWhoseTombstoneIsNot()
    {
        var published = Tails((Topic, [Headers(CdcPosition.Change(500, 2, false), CdcPosition.Change(500, 1, false))]));
        Assert.True(published.Published(Topic, CdcPosition.Change(400, 9, false)));
        Assert.True(published.Published(Topic, CdcPosition.Change(500, 2, false)));
        Assert.False(published.Published(Topic, CdcPosition.Change(500, 2, true)));
        Assert.False(published.Published(Topic, CdcPosition.Change(500, 3, false)));
        // Another topic has no last record of its own; only what precedes the last poll counts for it.
        Assert.False(published.Published("app.public.other", CdcPosition.Change(500, 1, false)));
        Assert.Equal(2, published.Skipped);
    }

    [Fact]
    public void ATombstoneLast_StillCarriesItsPosition()
    {
        var published = Tails((Topic, [Headers(CdcPosition.Change(500, 2, true), CdcPosition.Change(500, 2, false))]));
        Assert.True(published.Published(Topic, CdcPosition.Change(500, 2, true)));
        Assert.False(published.Published(Topic, CdcPosition.Change(500, 3, false)));
    }

    [Fact]
    public void SeveralPartitions_TheLowestLastPositionHolds_AndEarlierPollsAreAllThere()
    {
        // Partition 1 got the newest record; one bound for partition 0 in the same poll may not have arrived.
        var published = Tails((Topic,
        [
            Headers(CdcPosition.Change(500, 1, false), CdcPosition.Change(400, 1, false)),
            Headers(CdcPosition.Change(500, 5, false), CdcPosition.Change(500, 1, false)),
        ]));
        Assert.True(published.Published(Topic, CdcPosition.Change(500, 1, false)));
        Assert.False(published.Published(Topic, CdcPosition.Change(500, 3, false)));

        // An empty partition says nothing of its topic; only the poll rule is left.
        var sparse = Tails((Topic, [null, Headers(CdcPosition.Change(500, 5, false), CdcPosition.Change(500, 1, false))]));
        Assert.True(sparse.Published(Topic, CdcPosition.Change(499, 7, false)));
        Assert.False(sparse.Published(Topic, CdcPosition.Change(500, 1, false)));
        // The poll rule spans topics: a record of a poll in one topic vouches for every earlier poll in all of them.
        Assert.True(sparse.Published("app.public.other", CdcPosition.Change(499, 7, false)));
    }

    [Fact]
    public void Snapshot_IsCompleteOnceAPollOfStreamedEventsReachedKafka()
    {
        Assert.False(PublishedPositions.None.SnapshotCompleted);
        var lastRowOnly = Tails((Topic, [Headers(CdcPosition.Snapshot(100, 40), CdcPosition.Snapshot(100, 1))]));
        Assert.False(lastRowOnly.SnapshotCompleted);
        // A restarted snapshot (a new slot, a later consistent point) is never taken for the old one's rows.
        Assert.False(lastRowOnly.Published(Topic, CdcPosition.Snapshot(120, 1)));
        var streamed = Tails((Topic, [Headers(CdcPosition.Change(150, 1, false), CdcPosition.Change(150, 1, false))]));
        Assert.True(streamed.SnapshotCompleted);
    }

    [Fact]
    public void RecordsWithoutPositions_AndMissingTopics_PublishNothing()
    {
        var published = Tails((Topic, [new Dictionary<string, byte[]?> { ["other"] = [1] }]), ("app.public.gone", []));
        Assert.False(published.Published(Topic, CdcPosition.Change(1, 1, false)));
        Assert.False(published.Published("app.public.gone", CdcPosition.Change(1, 1, false)));
        Assert.False(published.SnapshotCompleted);
    }

    private static IReadOnlyDictionary<string, byte[]?> Headers(CdcPosition own, CdcPosition batch) =>
        new Dictionary<string, byte[]?> { [CdcPosition.Header] = own.ToBytes(), [CdcPosition.BatchHeader] = batch.ToBytes() };

    private static PublishedPositions Tails(params (string Topic, IReadOnlyDictionary<string, byte[]?>?[] Partitions)[] topics) =>
        PublishedPositions.From(topics.ToDictionary(t => t.Topic, t => (IReadOnlyList<IReadOnlyDictionary<string, byte[]?>?>)t.Partitions));
}
