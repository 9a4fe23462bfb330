using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Platform.Gateway.Filters.Grpc;

/// <summary>
/// Encodes a JSON object as the protobuf message a descriptor describes, without generated classes (C#'s protobuf
/// has no DynamicMessage): proto3 JSON names (<c>json_name</c>, lowerCamel) or the proto field names, 64-bit
/// integers as numbers or strings, bytes as base64, enums by name or number, nested messages, repeated fields and
/// maps. An unknown field, a wrong type or nesting past <see cref="MaxDepth"/> throws <see cref="ProtoJsonException"/>.
/// Two fields of one oneof are refused. Well-known types (Timestamp, Any ...) are read as their fields, not their
/// special JSON forms; proto2 groups are not supported.
/// </summary>
internal static class ProtoJsonReader
{
    public const int MaxDepth = 32;

    public static byte[] Encode(JsonElement json, MessageDescriptor type)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        WriteMessage(output, json, type, "$", 0);
        output.Flush();
        return buffer.ToArray();
    }

    private static void WriteMessage(CodedOutputStream output, JsonElement json, MessageDescriptor type, string path, int depth)
    {
        if (json.ValueKind != JsonValueKind.Object) throw new ProtoJsonException(path, $"{path}: expected a JSON object ({type.FullName})");
        if (depth > MaxDepth) throw new ProtoJsonException(path, $"{path}: nested deeper than {MaxDepth} messages");
        HashSet<OneofDescriptor>? oneofs = null;
        foreach (var property in json.EnumerateObject())
        {
            var field = type.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == property.Name)
                ?? type.FindFieldByName(property.Name)
                ?? throw new ProtoJsonException($"{path}.{property.Name}",
                    $"{path}.{property.Name}: unknown field of {type.FullName} (fields: {string.Join(", ", type.Fields.InDeclarationOrder().Select(f => f.JsonName))})");
            var at = $"{path}.{property.Name}";
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null) continue;
            if (field.RealContainingOneof is { } oneof && !(oneofs ??= []).Add(oneof))
                throw new ProtoJsonException(at, $"{at}: another field of oneof {oneof.Name} is already set");
            if (field.IsMap) WriteMap(output, value, field, at, depth);
            else if (field.IsRepeated)
            {
                if (value.ValueKind != JsonValueKind.Array) throw new ProtoJsonException(at, $"{at}: expected a JSON array");
                var i = 0;
                foreach (var item in value.EnumerateArray()) WriteField(output, item, field, $"{at}[{i++}]", depth);
            }
            else WriteField(output, value, field, at, depth);
        }
    }

    private static void WriteMap(CodedOutputStream output, JsonElement json, FieldDescriptor field, string path, int depth)
    {
        if (json.ValueKind != JsonValueKind.Object) throw new ProtoJsonException(path, $"{path}: expected a JSON object (a map)");
        var key = field.MessageType.FindFieldByNumber(1);
        var value = field.MessageType.FindFieldByNumber(2);
        foreach (var entry in json.EnumerateObject())
        {
            var at = $"{path}.{entry.Name}";
            using var buffer = new MemoryStream();
            var inner = new CodedOutputStream(buffer);
            // A map key is JSON text; the scalar writers read numbers and bools from text too.
            WriteField(inner, JsonSerializer.SerializeToElement(entry.Name), key, at, depth);
            if (entry.Value.ValueKind != JsonValueKind.Null) WriteField(inner, entry.Value, value, at, depth);
            inner.Flush();
            output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(buffer.ToArray()));
        }
    }

    private static void WriteField(CodedOutputStream output, JsonElement json, FieldDescriptor field, string path, int depth)
    {
        var n = field.FieldNumber;
        switch (field.FieldType)
        {
            case FieldType.Group:
                throw new ProtoJsonException(path, $"{path}: proto2 groups are not supported");
            case FieldType.Message:
                using (var buffer = new MemoryStream())
                {
                    var inner = new CodedOutputStream(buffer);
                    WriteMessage(inner, json, field.MessageType, path, depth + 1);
                    inner.Flush();
                    output.WriteTag(n, WireFormat.WireType.LengthDelimited);
                    output.WriteBytes(ByteString.CopyFrom(buffer.ToArray()));
                }
                break;
            case FieldType.String:
                output.WriteTag(n, WireFormat.WireType.LengthDelimited);
                output.WriteString(json.ValueKind == JsonValueKind.String ? json.GetString()! : throw Expected(path, "a string"));
                break;
            case FieldType.Bytes:
                output.WriteTag(n, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(Base64(json, path)));
                break;
            case FieldType.Bool:
                output.WriteTag(n, WireFormat.WireType.Varint);
                output.WriteBool(json.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.String when bool.TryParse(json.GetString(), out var b) => b,
                    _ => throw Expected(path, "true or false"),
                });
                break;
            case FieldType.Enum:
                output.WriteTag(n, WireFormat.WireType.Varint);
                output.WriteEnum(EnumNumber(json, field.EnumType, path));
                break;
            default:
                ProtoScalars.Write(output, json, field, path);
                break;
        }
    }

    private static int EnumNumber(JsonElement json, EnumDescriptor type, string path)
    {
        if (json.ValueKind == JsonValueKind.String)
        {
            return type.FindValueByName(json.GetString()!)?.Number
                ?? throw new ProtoJsonException(path, $"{path}: '{json.GetString()}' is not a value of {type.FullName} ({string.Join(", ", type.Values.Select(v => v.Name))})");
        }
        if (json.ValueKind == JsonValueKind.Number && json.TryGetInt32(out var number)) return number;
        throw Expected(path, $"a name of {type.FullName}");
    }

    private static byte[] Base64(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.String) throw Expected(path, "base64 text");
        var text = json.GetString()!.Replace('-', '+').Replace('_', '/');
        text = text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
        try { return Convert.FromBase64String(text); }
        catch (FormatException) { throw Expected(path, "base64 text"); }
    }

    internal static ProtoJsonException Expected(string path, string what) =>
        new(path, string.Create(CultureInfo.InvariantCulture, $"{path}: expected {what}"));
}
