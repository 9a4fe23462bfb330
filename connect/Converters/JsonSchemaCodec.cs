using System.Text.Json.Nodes;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Converters;

/// <summary>Kafka Connect's JSON form of a schema (<c>{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}]}</c>).</summary>
internal static class JsonSchemaCodec
{
    public static JsonObject Write(ConnectSchema schema, string? field = null)
    {
        var o = new JsonObject { ["type"] = schema.Type.ToString().ToLowerInvariant() };
        if (schema.Type == SchemaType.Struct)
            o["fields"] = new JsonArray([.. schema.Fields!.Select(f => (JsonNode)Write(f.Schema, f.Name))]);
        if (schema.Type == SchemaType.Array) o["items"] = Write(schema.ValueSchema!);
        if (schema.Type == SchemaType.Map)
        {
            o["keys"] = Write(schema.KeySchema!);
            o["values"] = Write(schema.ValueSchema!);
        }
        o["optional"] = schema.Optional;
        if (schema.Name is not null) o["name"] = schema.Name;
        if (schema.Version is not null) o["version"] = schema.Version;
        if (field is not null) o["field"] = field;
        return o;
    }

    public static ConnectSchema Read(JsonNode? node, string where)
    {
        if (node is not JsonObject o) throw new FormatException($"{where}: a schema must be a JSON object");
        var typeName = o["type"]?.GetValue<string>() ?? throw new FormatException($"{where}.type: required");
        if (!Enum.TryParse<SchemaType>(typeName, ignoreCase: true, out var type))
            throw new FormatException($"{where}.type: unknown schema type \"{typeName}\"");
        var optional = o["optional"]?.GetValue<bool>() ?? false;
        var name = o["name"]?.GetValue<string>();
        var version = o["version"]?.GetValue<int>();
        return type switch
        {
            SchemaType.Struct => new ConnectSchema(type, optional, name, ReadFields(o["fields"], where), Version: version),
            SchemaType.Array => new ConnectSchema(type, optional, name, ValueSchema: Read(o["items"], where + ".items"), Version: version),
            SchemaType.Map => new ConnectSchema(type, optional, name, ValueSchema: Read(o["values"], where + ".values"),
                KeySchema: Read(o["keys"], where + ".keys"), Version: version),
            _ => new ConnectSchema(type, optional, name, Version: version),
        };
    }

    private static List<Field> ReadFields(JsonNode? node, string where)
    {
        if (node is not JsonArray fields) throw new FormatException($"{where}.fields: a struct schema needs a fields array");
        var result = new List<Field>();
        foreach (var f in fields)
        {
            var fieldName = f?["field"]?.GetValue<string>() ?? throw new FormatException($"{where}.fields[{result.Count}].field: required");
            result.Add(new Field(fieldName, result.Count, Read(f, $"{where}.fields[{result.Count}]")));
        }
        return result;
    }
}
