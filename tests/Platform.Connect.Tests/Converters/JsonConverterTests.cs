using System.Text;
using System.Text.Json.Nodes;
using Platform.Connect.Api.Data;
using Platform.Connect.Converters;

namespace Platform.Connect.Tests.Converters;

/// <summary>The JSON converter's two forms, byte for byte as Kafka Connect writes them.</summary>
public sealed class JsonConverterTests
{
    private static readonly ConnectSchema Row = ConnectSchema.Struct("users",
        new Field("id", 0, ConnectSchema.Int32),
        new Field("name", 1, ConnectSchema.OptionalString),
        new Field("updated_at", 2, new ConnectSchema(SchemaType.Int64, false, ConnectSchema.TimestampName, Version: 1)));

    [Fact]
    public void WithSchemas_WritesTheSchemaPayloadEnvelope_AndReadsItBack()
    {
        var converter = new JsonConverter();
        converter.Configure(new Dictionary<string, string>(), isKey: false);
        var value = new ConnectStruct(Row).Put("id", 7).Put("name", "kim").Put("updated_at", new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified));

        var json = Encoding.UTF8.GetString(converter.FromConnectData("t", Row, value)!);

        Assert.Equal("""{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":true,"field":"name"},{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1,"field":"updated_at"}],"optional":false,"name":"users"},"payload":{"id":7,"name":"kim","updated_at":1704164645000}}""", json);
        var (schema, back) = converter.ToConnectData("t", Encoding.UTF8.GetBytes(json));
        var row = Assert.IsType<ConnectStruct>(back);
        Assert.Equal(SchemaType.Struct, schema!.Type);
        Assert.Equal(7, row["id"]);
        Assert.Equal("kim", row["name"]);
        Assert.Equal(1704164645000L, row["updated_at"]);
    }

    [Fact]
    public void WithoutSchemas_WritesThePlainValue_AndReadsMaps()
    {
        var converter = new JsonConverter();
        converter.Configure(new Dictionary<string, string> { ["schemas.enable"] = "false" }, isKey: false);
        var value = new ConnectStruct(Row).Put("id", 1).Put("name", null).Put("updated_at", 0L);
        Assert.Equal("""{"id":1,"name":null,"updated_at":0}""", Encoding.UTF8.GetString(converter.FromConnectData("t", Row, value)!));

        var (schema, map) = converter.ToConnectData("t", Encoding.UTF8.GetBytes("""{"a":1,"b":"x","c":[true]}"""));
        Assert.Null(schema);
        var dict = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(map);
        Assert.Equal(1L, dict["a"]);
        Assert.Equal("x", dict["b"]);
    }

    [Theory]
    [InlineData("""{"a":1}""", "requires \"schema\" and \"payload\" fields")]
    [InlineData("""{"schema":{"type":"int32","optional":false},"payload":"x"}""", "does not match schema type int32")]
    [InlineData("""{"schema":{"type":"weird"},"payload":1}""", "unknown schema type \"weird\"")]
    [InlineData("not json", "serialization error")]
    public void BadInput_IsAFormatExceptionThatSaysWhy(string input, string expected)
    {
        var converter = new JsonConverter();
        converter.Configure(new Dictionary<string, string>(), isKey: false);
        var ex = Assert.ThrowsAny<FormatException>(() => converter.ToConnectData("t", Encoding.UTF8.GetBytes(input)));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Tombstone_StaysNull()
    {
        var converter = new JsonConverter();
        converter.Configure(new Dictionary<string, string>(), isKey: false);
        Assert.Equal((null, null), converter.ToConnectData("t", null));
        Assert.Null(JsonNode.Parse(converter.FromConnectData("t", null, null) ?? "null"u8.ToArray()));
    }
}
