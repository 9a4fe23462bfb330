using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Connect.Api;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Data;
using Platform.Connect.Api.Transforms;

namespace Platform.Connect.Converters;

/// <summary>
/// Kafka Connect's JsonConverter: with <c>schemas.enable=true</c> (the default) each message is the envelope
/// <c>{"schema":{...},"payload":{...}}</c>; with false, the bare JSON value.
/// </summary>
[Plugin("org.apache.kafka.connect.json.JsonConverter")]
public sealed class JsonConverter : IConverter
{
    private bool _schemas = true;

    public ConfigDef Config { get; } = new ConfigDef()
        .Define("schemas.enable", ConfigType.Boolean, "true", Importance.High, "Include schemas within each of the serialized values and keys.");

    public void Configure(IReadOnlyDictionary<string, string> props, bool isKey) =>
        _schemas = !props.TryGetValue("schemas.enable", out var v) || !bool.TryParse(v, out var b) || b;

    public byte[]? FromConnectData(string topic, ConnectSchema? schema, object? value)
    {
        if (value is null && (schema is null || !_schemas)) return null;
        var payload = JsonValueCodec.Write(schema, value);
        JsonNode? doc = _schemas ? new JsonObject { ["schema"] = schema is null ? null : JsonSchemaCodec.Write(schema), ["payload"] = payload } : payload;
        return Encoding.UTF8.GetBytes(doc?.ToJsonString() ?? "null");
    }

    public (ConnectSchema? Schema, object? Value) ToConnectData(string topic, byte[]? data)
    {
        if (data is null) return (null, null);
        JsonNode? doc;
        try
        {
            doc = JsonNode.Parse(data);
        }
        catch (JsonException ex)
        {
            throw new FormatException("Converting byte[] to Kafka Connect data failed due to serialization error: " + ex.Message, ex);
        }
        if (!_schemas) return (null, JsonValueCodec.ReadSchemaless(doc));
        if (doc is not JsonObject o || o.Count != 2 || !o.ContainsKey("schema") || !o.ContainsKey("payload"))
            throw new FormatException("JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may not contain additional fields. " +
                "If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.");
        if (o["schema"] is null) return (null, JsonValueCodec.ReadSchemaless(o["payload"]));
        var schema = JsonSchemaCodec.Read(o["schema"], "schema");
        return (schema, JsonValueCodec.Read(schema, o["payload"], "payload"));
    }
}
