using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Platform.Gateway.Filters.Grpc;

/// <summary>
/// Decodes a protobuf message by its descriptor into proto3 JSON: lowerCamel <c>json_name</c>s, fields in declaration
/// order, only those on the wire (so proto3 defaults are left out, as Spring's <c>JsonFormat.printer()</c> does),
/// 64-bit integers as text, bytes as base64, enums by name (by number when the name is unknown), repeated fields as
/// arrays (packed or not), maps as objects. Fields the descriptor does not know are skipped.
/// </summary>
internal static class ProtoJsonWriter
{
    public static byte[] Decode(ReadOnlySpan<byte> message, MessageDescriptor type)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
            WriteMessage(json, ByteString.CopyFrom(message), type, 0);
        return buffer.ToArray();
    }

    private static void WriteMessage(Utf8JsonWriter json, ByteString message, MessageDescriptor type, int depth)
    {
        if (depth > ProtoJsonReader.MaxDepth) throw new ProtoJsonException(type.FullName, $"the reply nests deeper than {ProtoJsonReader.MaxDepth} messages");
        // Values per field, in wire order; a non-repeated field seen twice keeps its last value (protobuf's rule for scalars).
        var values = new Dictionary<int, List<ByteString>>();
        var input = message.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = type.FindFieldByNumber(WireFormat.GetTagFieldNumber(tag));
            if (field is null)
            {
                input.SkipLastField();
                continue;
            }
            if (!values.TryGetValue(field.FieldNumber, out var list)) values[field.FieldNumber] = list = [];
            list.AddRange(RawValues(input, tag, field));
        }
        json.WriteStartObject();
        foreach (var field in type.Fields.InDeclarationOrder())
        {
            if (!values.TryGetValue(field.FieldNumber, out var raw) || raw.Count == 0) continue;
            json.WritePropertyName(field.JsonName);
            if (field.IsMap) WriteMap(json, raw, field, depth);
            else if (field.IsRepeated)
            {
                json.WriteStartArray();
                foreach (var v in raw) WriteValue(json, v, field, depth);
                json.WriteEndArray();
            }
            else WriteValue(json, raw[^1], field, depth);
        }
        json.WriteEndObject();
    }

    /// <summary>
    /// Each value of the field under <paramref name="tag"/> as its own bytes: a length-delimited value's content, or a
    /// scalar re-read from them by <see cref="WriteValue"/>; a packed run splits into one entry per number.
    /// </summary>
    private static IEnumerable<ByteString> RawValues(CodedInputStream input, uint tag, FieldDescriptor field)
    {
        var wire = WireFormat.GetTagWireType(tag);
        if (wire == WireFormat.WireType.LengthDelimited)
        {
            var bytes = input.ReadBytes();
            if (!field.IsRepeated || !ProtoScalars.Packable(field)) return [bytes];
            var run = bytes.CreateCodedInput();
            var items = new List<ByteString>();
            while (!run.IsAtEnd) items.Add(OneScalar(run, field));
            return items;
        }
        return [OneScalar(input, field)];
    }

    /// <summary>Re-encodes one scalar so it is decoded later, with the others, in declaration order.</summary>
    private static ByteString OneScalar(CodedInputStream input, FieldDescriptor field)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        switch (field.FieldType)
        {
            case FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64: output.WriteFixed64(input.ReadFixed64()); break;
            case FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32: output.WriteFixed32(input.ReadFixed32()); break;
            case FieldType.String or FieldType.Bytes or FieldType.Message or FieldType.Group:
                throw new ProtoJsonException(field.FullName, $"the reply's {field.FullName} is not length-delimited");
            default: output.WriteUInt64(input.ReadUInt64()); break;
        }
        output.Flush();
        return ByteString.CopyFrom(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter json, ByteString raw, FieldDescriptor field, int depth)
    {
        switch (field.FieldType)
        {
            case FieldType.Message or FieldType.Group: WriteMessage(json, raw, field.MessageType, depth + 1); break;
            case FieldType.String: json.WriteStringValue(raw.ToStringUtf8()); break;
            case FieldType.Bytes: json.WriteBase64StringValue(raw.Span); break;
            case FieldType.Bool: json.WriteBooleanValue(raw.CreateCodedInput().ReadUInt64() != 0); break;
            case FieldType.Enum:
                var number = raw.CreateCodedInput().ReadEnum();
                if (field.EnumType.FindValueByNumber(number) is { } named) json.WriteStringValue(named.Name);
                else json.WriteNumberValue(number);
                break;
            default: ProtoScalars.Read(raw.CreateCodedInput(), field, json); break;
        }
    }

    /// <summary>A map's entries as a JSON object; its keys as text (proto3 JSON).</summary>
    private static void WriteMap(Utf8JsonWriter json, List<ByteString> entries, FieldDescriptor field, int depth)
    {
        var keyField = field.MessageType.FindFieldByNumber(1);
        var valueField = field.MessageType.FindFieldByNumber(2);
        json.WriteStartObject();
        foreach (var entry in entries)
        {
            ByteString? key = null, value = null;
            var input = entry.CreateCodedInput();
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                var number = WireFormat.GetTagFieldNumber(tag);
                if (number is not (1 or 2)) { input.SkipLastField(); continue; }
                var raw = RawValues(input, tag, number == 1 ? keyField : valueField).Last();
                if (number == 1) key = raw; else value = raw;
            }
            json.WritePropertyName(key is null ? DefaultKey(keyField) : KeyText(key, keyField));
            if (value is null) WriteDefault(json, valueField);
            else WriteValue(json, value, valueField, depth);
        }
        json.WriteEndObject();
    }

    private static string KeyText(ByteString raw, FieldDescriptor keyField)
    {
        if (keyField.FieldType == FieldType.String) return raw.ToStringUtf8();
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) WriteValue(w, raw, keyField, 0);
        var text = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        return text.Trim('"');
    }

    private static string DefaultKey(FieldDescriptor keyField) => keyField.FieldType switch
    {
        FieldType.String => "",
        FieldType.Bool => "false",
        _ => "0",
    };

    /// <summary>A map entry without its value on the wire has the type's default value.</summary>
    private static void WriteDefault(Utf8JsonWriter json, FieldDescriptor field)
    {
        switch (field.FieldType)
        {
            case FieldType.Message or FieldType.Group: json.WriteStartObject(); json.WriteEndObject(); break;
            case FieldType.String or FieldType.Bytes: json.WriteStringValue(""); break;
            case FieldType.Bool: json.WriteBooleanValue(false); break;
            case FieldType.Enum: json.WriteStringValue(field.EnumType.FindValueByNumber(0)?.Name ?? "0"); break;
            case FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 or FieldType.UInt64 or FieldType.Fixed64: json.WriteStringValue("0"); break;
            default: json.WriteNumberValue(0); break;
        }
    }
}
