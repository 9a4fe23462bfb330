using Platform.Connect.Api.Data;
using Platform.Connect.Transforms;

namespace Platform.Connect.Tests.Transforms;

/// <summary>The single message transforms and predicates, on Kafka's examples.</summary>
public sealed class TransformTests
{
    private static readonly ConnectSchema Row = ConnectSchema.Struct("users", new Field("id", 0, ConnectSchema.Int32), new Field("name", 1, ConnectSchema.OptionalString));

    private static SourceRecord Record(string topic = "shop-users") =>
        new(new Dictionary<string, object?>(), new Dictionary<string, object?>(), topic, null, null, null, Row,
            new ConnectStruct(Row).Put("id", 3).Put("name", "park"), DateTimeOffset.FromUnixTimeMilliseconds(1000));

    [Fact]
    public void ValueToKey_ThenExtractFieldKey_MakesThePrimitiveKey()
    {
        var toKey = new ValueToKey();
        toKey.Configure(new Dictionary<string, string> { ["fields"] = "id" });
        var keyed = toKey.Apply(Record())!;
        var key = Assert.IsType<ConnectStruct>(keyed.Key);
        Assert.Equal(3, key["id"]);
        Assert.Equal("id", Assert.Single(keyed.KeySchema!.Fields!).Name);

        var extract = new ExtractField.Key();
        extract.Configure(new Dictionary<string, string> { ["field"] = "id" });
        var plain = extract.Apply(keyed)!;
        Assert.Equal(3, plain.Key);
        Assert.Equal(SchemaType.Int32, plain.KeySchema!.Type);
    }

    [Fact]
    public void ValueToKey_UnknownField_SaysWhich()
    {
        var toKey = new ValueToKey();
        toKey.Configure(new Dictionary<string, string> { ["fields"] = "nope" });
        Assert.Contains("'nope'", Assert.Throws<InvalidOperationException>(() => toKey.Apply(Record())).Message);
    }

    [Fact]
    public void InsertFieldValue_AddsStaticTopicAndTimestampFields()
    {
        var insert = new InsertField.Value();
        insert.Configure(new Dictionary<string, string> { ["static.field"] = "source", ["static.value"] = "mariadb", ["topic.field"] = "topic", ["timestamp.field"] = "ts" });
        var value = Assert.IsType<ConnectStruct>(insert.Apply(Record())!.Value);
        Assert.Equal("mariadb", value["source"]);
        Assert.Equal("shop-users", value["topic"]);
        Assert.Equal(1000L, value["ts"]);
        Assert.Equal("park", value["name"]);
    }

    [Fact]
    public void RegexRouter_RenamesWholeMatchesOnly()
    {
        var router = new RegexRouter();
        router.Configure(new Dictionary<string, string> { ["regex"] = "shop-(.*)", ["replacement"] = "warehouse-$1" });
        Assert.Equal("warehouse-users", router.Apply(Record())!.Topic);
        Assert.Equal("other-shop-users", router.Apply(Record("other-shop-users"))!.Topic);
    }

    [Fact]
    public void FilterWithTopicNameMatches_DropsOnlyMatchingRecords()
    {
        var predicate = new TopicNameMatches();
        predicate.Configure(new Dictionary<string, string> { ["pattern"] = "shop-.*" });
        Assert.True(predicate.Test(Record()));
        Assert.False(predicate.Test(Record("audit")));
        Assert.Null(new Filter().Apply(Record()));
        Assert.True(new RecordIsTombstone().Test(Record() with { Value = null }));
    }
}
