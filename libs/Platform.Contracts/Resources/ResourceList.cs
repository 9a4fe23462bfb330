using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Contracts.Resources;

/// <summary>
/// Quantities by resource name (<c>cpu: 100m</c>, <c>memory: 128Mi</c>, <c>pods: "10"</c>). YAML writes small
/// quantities unquoted (<c>cpu: 2</c>), so numbers are read as their decimal text.
/// </summary>
[JsonConverter(typeof(ResourceListConverter))]
public sealed class ResourceList : Dictionary<string, string>
{
    public ResourceList() : base(StringComparer.Ordinal) { }
    public ResourceList(IDictionary<string, string> values) : base(values, StringComparer.Ordinal) { }

    /// <summary>Whether both hold the same names with the same text (null and empty are the same).</summary>
    public static bool Same(ResourceList? a, ResourceList? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? []).All(kv => b!.TryGetValue(kv.Key, out var v) && v == kv.Value);
}

public sealed class ResourceListConverter : JsonConverter<ResourceList>
{
    public override ResourceList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("expected an object of quantities");
        var list = new ResourceList();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            reader.Read();
            list[key] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Number => reader.GetDecimal().ToString(CultureInfo.InvariantCulture),
                _ => throw new JsonException($"quantity '{key}' must be a string or a number"),
            };
        }
        return list;
    }

    public override void Write(Utf8JsonWriter writer, ResourceList value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (k, v) in value) writer.WriteString(k, v);
        writer.WriteEndObject();
    }
}
