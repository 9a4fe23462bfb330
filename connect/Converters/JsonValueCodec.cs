using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Converters;

/// <summary>Connect values to JSON and back, following a schema when there is one (Timestamp as epoch millis, bytes as base64).</summary>
internal static class JsonValueCodec
{
    public static JsonNode? Write(ConnectSchema? schema, object? value)
    {
        if (value is null) return null;
        if (schema?.Name == ConnectSchema.TimestampName)
            return value switch
            {
                DateTimeOffset d => d.ToUnixTimeMilliseconds(),
                DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, d.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : d.Kind)).ToUnixTimeMilliseconds(),
                _ => JsonValue.Create(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
            };
        if (schema?.Name == ConnectSchema.DateName && value is DateTime date)
            return (int)(date.Date - DateTime.UnixEpoch).TotalDays;
        return value switch
        {
            ConnectStruct s => new JsonObject(s.Schema.Fields!.Select(f => KeyValuePair.Create(f.Name, Write(f.Schema, s[f.Name])))),
            IReadOnlyDictionary<string, object?> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, Write(schema?.ValueSchema, p.Value)))),
            byte[] bytes => Convert.ToBase64String(bytes),
            string s => s,
            bool b => b,
            System.Collections.IEnumerable list => new JsonArray([.. list.Cast<object?>().Select(v => Write(schema?.ValueSchema, v))]),
            _ => JsonSerializer.SerializeToNode(value),
        };
    }

    public static object? Read(ConnectSchema? schema, JsonNode? node, string where)
    {
        if (node is null)
        {
            if (schema is { Optional: false }) throw new FormatException($"{where}: null for a required field");
            return null;
        }
        if (schema is null) return ReadSchemaless(node);
        try
        {
            return schema.Type switch
            {
                SchemaType.Struct => ReadStruct(schema, node, where),
                SchemaType.Array => ((JsonArray)node).Select((n, i) => Read(schema.ValueSchema, n, $"{where}[{i}]")).ToList(),
                SchemaType.Map => ((JsonObject)node).ToDictionary(p => p.Key, p => Read(schema.ValueSchema, p.Value, $"{where}.{p.Key}")),
                SchemaType.Int8 => (object)node.GetValue<sbyte>(),
                SchemaType.Int16 => node.GetValue<short>(),
                SchemaType.Int32 => node.GetValue<int>(),
                SchemaType.Int64 => node.GetValue<long>(),
                SchemaType.Float32 => node.GetValue<float>(),
                SchemaType.Float64 => node.GetValue<double>(),
                SchemaType.Boolean => node.GetValue<bool>(),
                SchemaType.String => node.GetValue<string>(),
                SchemaType.Bytes => Convert.FromBase64String(node.GetValue<string>()),
                _ => throw new FormatException($"{where}: unsupported schema type {schema.Type}"),
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidCastException or FormatException and not JsonSchemaMismatch)
        {
            throw new JsonSchemaMismatch($"{where}: value {node.ToJsonString()} does not match schema type {schema.Type.ToString().ToLowerInvariant()}");
        }
    }

    private static ConnectStruct ReadStruct(ConnectSchema schema, JsonNode node, string where)
    {
        if (node is not JsonObject o) throw new JsonSchemaMismatch($"{where}: a struct must be a JSON object");
        var s = new ConnectStruct(schema);
        foreach (var f in schema.Fields!) s[f.Name] = Read(f.Schema, o[f.Name], $"{where}.{f.Name}");
        return s;
    }

    public static object? ReadSchemaless(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => ReadSchemaless(p.Value)),
        JsonArray a => a.Select(ReadSchemaless).ToList(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        _ => node.ToJsonString(),
    };
}

/// <summary>A payload that does not fit its schema.</summary>
internal sealed class JsonSchemaMismatch(string message) : FormatException(message);
