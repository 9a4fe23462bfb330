using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Data;
using Platform.Connect.Configuration;
using Platform.Connect.Plugins;
using Platform.Connect.Runtime;
using Platform.Connect.Transforms;

namespace Platform.Connect.Tests.Transforms;

/// <summary>ReplaceField, Cast and TimestampRouter on Kafka's examples, and their validation messages.</summary>
public sealed class ReplaceCastRouteTests
{
    private static readonly ConnectSchema Row = ConnectSchema.Struct("orders",
        new Field("id", 0, ConnectSchema.Int32), new Field("price", 1, new ConnectSchema(SchemaType.String, true)),
        new Field("secret", 2, ConnectSchema.OptionalString), new Field("qty", 3, new ConnectSchema(SchemaType.Float64)));

    private static SourceRecord Record(DateTimeOffset? ts = null) =>
        new(new Dictionary<string, object?>(), new Dictionary<string, object?>(), "orders", null, null, null, Row,
            new ConnectStruct(Row).Put("id", 7).Put("price", "12.5").Put("secret", "s3").Put("qty", 2.9), ts ?? DateTimeOffset.FromUnixTimeMilliseconds(0));

    private static T Configured<T>(T transform, Dictionary<string, string> props) where T : Platform.Connect.Api.Transforms.ITransformation
    {
        transform.Configure(props);
        return transform;
    }

    [Fact]
    public void ReplaceFieldValue_ExcludesAndRenames_InTheSchemaToo()
    {
        var replace = Configured(new ReplaceField.Value(), new() { ["exclude"] = "secret", ["renames"] = "id:order_id,qty:quantity" });
        var value = Assert.IsType<ConnectStruct>(replace.Apply(Record())!.Value);
        Assert.Equal(["order_id", "price", "quantity"], value.Schema.Fields!.Select(f => f.Name));
        Assert.Equal(7, value["order_id"]);
        Assert.Equal(2.9, value["quantity"]);
    }

    [Fact]
    public void ReplaceFieldKey_IncludeKeepsOnlyThoseFields_OfAMap_AndTombstonesPass()
    {
        var replace = Configured(new ReplaceField.Key(), new() { ["include"] = "a,c" });
        var record = Record() with { Key = new Dictionary<string, object?> { ["a"] = 1L, ["b"] = 2L, ["c"] = 3L } };
        Assert.Equal(new Dictionary<string, object?> { ["a"] = 1L, ["c"] = 3L }, replace.Apply(record)!.Key);
        Assert.Null(replace.Apply(record with { Key = null })!.Key);
    }

    [Fact]
    public void CastValue_CastsFieldsAndTheirSchemas_JavaStyle()
    {
        var cast = Configured(new Cast.Value(), new() { ["spec"] = "id:string,price:float64,qty:int32" });
        var value = Assert.IsType<ConnectStruct>(cast.Apply(Record())!.Value);
        Assert.Equal<(object?, object?, object?)>(("7", 12.5, 2), (value["id"], value["price"], value["qty"]));
        Assert.Equal([SchemaType.String, SchemaType.Float64, SchemaType.String, SchemaType.Int32], value.Schema.Fields!.Select(f => f.Schema.Type));
        Assert.True(value.Schema.Field("price")!.Schema.Optional);
    }

    [Fact]
    public void CastKey_WholeValue_CastsThePrimitive()
    {
        var cast = Configured(new Cast.Key(), new() { ["spec"] = "int64" });
        var casted = cast.Apply(Record() with { KeySchema = ConnectSchema.String, Key = "42" })!;
        Assert.Equal(42L, casted.Key);
        Assert.Equal(SchemaType.Int64, casted.KeySchema!.Type);
    }

    [Fact]
    public void TimestampRouter_FormatsTheRecordTimeInUtc()
    {
        var router = Configured(new TimestampRouter(), new() { ["topic.format"] = "${topic}_${timestamp}", ["timestamp.format"] = "yyyy-MM-dd'T'HH" });
        Assert.Equal("orders_2024-01-02T03", router.Apply(Record(new DateTimeOffset(2024, 1, 2, 5, 4, 5, TimeSpan.FromHours(2))))!.Topic);
        Assert.Equal("orders-19700101", Configured(new TimestampRouter(), []).Apply(Record())!.Topic);
        Assert.Throws<InvalidOperationException>(() => router.Apply(Record() with { Timestamp = null }));
    }

    [Fact]
    public void BadSettings_AreReportedOnTheirFields_WithKafkasMessages()
    {
        var registry = new PluginRegistry(Options.Create(new ConnectOptions()), NullLogger<PluginRegistry>.Instance);
        var result = new ConfigValidator(registry).Validate(new Dictionary<string, string>
        {
            ["connector.class"] = "FileStreamSourceConnector",
            ["file"] = "/tmp/in.txt",
            ["topic"] = "lines",
            ["transforms"] = "drop,cast,whole,route",
            ["transforms.drop.type"] = "org.apache.kafka.connect.transforms.ReplaceField$Value",
            ["transforms.drop.renames"] = "id",
            ["transforms.cast.type"] = "org.apache.kafka.connect.transforms.Cast$Value",
            ["transforms.cast.spec"] = "id:decimal",
            ["transforms.whole.type"] = "org.apache.kafka.connect.transforms.Cast$Key",
            ["transforms.whole.spec"] = "string,id:int32",
            ["transforms.route.type"] = "org.apache.kafka.connect.transforms.TimestampRouter",
            ["transforms.route.timestamp.format"] = "yyyy-QQ",
        });
        var errors = result.Configs.Where(c => c.Value.Errors.Count > 0).ToDictionary(c => c.Value.Name, c => c.Value.Errors.Single());
        Assert.Equal(4, result.ErrorCount);
        Assert.Equal("Invalid value id for configuration transforms.drop.renames: Invalid rename mapping: id", errors["transforms.drop.renames"]);
        Assert.Equal("Invalid value id:decimal for configuration transforms.cast.spec: Invalid type found in casting spec: decimal", errors["transforms.cast.spec"]);
        Assert.EndsWith("Cast transformations that specify a type to cast to for the entire value do not support also specifying fields to cast.", errors["transforms.whole.spec"]);
        Assert.StartsWith("Invalid value yyyy-QQ for configuration transforms.route.timestamp.format: Illegal pattern character 'Q'", errors["transforms.route.timestamp.format"]);
        Assert.Throws<ConnectConfigException>(() => new Cast.Value().Configure(new Dictionary<string, string> { ["spec"] = "id:bytes" }));
    }
}
