using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Platform.Gateway.Filters.Grpc;

/// <summary>The numeric protobuf types in proto3 JSON: a number or its text, 64-bit ones written back as text.</summary>
internal static class ProtoScalars
{
    public static void Write(CodedOutputStream output, JsonElement json, FieldDescriptor field, string path)
    {
        var n = field.FieldNumber;
        switch (field.FieldType)
        {
            case FieldType.Double:
                output.WriteTag(n, WireFormat.WireType.Fixed64);
                output.WriteDouble(Float(json, path));
                break;
            case FieldType.Float:
                output.WriteTag(n, WireFormat.WireType.Fixed32);
                output.WriteFloat((float)Float(json, path));
                break;
            case FieldType.Int32: output.WriteTag(n, WireFormat.WireType.Varint); output.WriteInt32(checked((int)Integer(json, path, int.MinValue, int.MaxValue))); break;
            case FieldType.SInt32: output.WriteTag(n, WireFormat.WireType.Varint); output.WriteSInt32(checked((int)Integer(json, path, int.MinValue, int.MaxValue))); break;
            case FieldType.SFixed32: output.WriteTag(n, WireFormat.WireType.Fixed32); output.WriteSFixed32(checked((int)Integer(json, path, int.MinValue, int.MaxValue))); break;
            case FieldType.UInt32: output.WriteTag(n, WireFormat.WireType.Varint); output.WriteUInt32(checked((uint)Integer(json, path, 0, uint.MaxValue))); break;
            case FieldType.Fixed32: output.WriteTag(n, WireFormat.WireType.Fixed32); output.WriteFixed32(checked((uint)Integer(json, path, 0, uint.MaxValue))); break;
            case FieldType.Int64: output.WriteTag(n, WireFormat.WireType.Varint); output.WriteInt64(checked((long)Integer(json, path, long.MinValue, long.MaxValue))); break;
            case FieldType.SInt64: output.WriteTag(n, WireFormat.WireType.Varint); output.WriteSInt64(checked((long)Integer(json, path, long.MinValue, long.MaxValue))); break;
            case FieldType.SFixed64: output.WriteTag(n, WireFormat.WireType.Fixed64); output.WriteSFixed64(checked((long)Integer(json, path, long.MinValue, long.MaxValue))); break;
            case FieldType.UInt64: output.WriteTag(n, WireFormat.WireType.Varint); output.WriteUInt64(checked((ulong)Integer(json, path, 0, ulong.MaxValue))); break;
            case FieldType.Fixed64: output.WriteTag(n, WireFormat.WireType.Fixed64); output.WriteFixed64(checked((ulong)Integer(json, path, 0, ulong.MaxValue))); break;
            default: throw new ProtoJsonException(path, $"{path}: field type {field.FieldType} is not supported");
        }
    }

    /// <summary>Reads one value of a numeric field from the wire and writes it as proto3 JSON.</summary>
    public static void Read(CodedInputStream input, FieldDescriptor field, Utf8JsonWriter json)
    {
        switch (field.FieldType)
        {
            case FieldType.Double: WriteFloat(json, input.ReadDouble()); break;
            case FieldType.Float: WriteFloat(json, input.ReadFloat()); break;
            case FieldType.Int32: json.WriteNumberValue(input.ReadInt32()); break;
            case FieldType.SInt32: json.WriteNumberValue(input.ReadSInt32()); break;
            case FieldType.SFixed32: json.WriteNumberValue(input.ReadSFixed32()); break;
            case FieldType.UInt32: json.WriteNumberValue(input.ReadUInt32()); break;
            case FieldType.Fixed32: json.WriteNumberValue(input.ReadFixed32()); break;
            case FieldType.Int64: json.WriteStringValue(input.ReadInt64().ToString(CultureInfo.InvariantCulture)); break;
            case FieldType.SInt64: json.WriteStringValue(input.ReadSInt64().ToString(CultureInfo.InvariantCulture)); break;
            case FieldType.SFixed64: json.WriteStringValue(input.ReadSFixed64().ToString(CultureInfo.InvariantCulture)); break;
            case FieldType.UInt64: json.WriteStringValue(input.ReadUInt64().ToString(CultureInfo.InvariantCulture)); break;
            case FieldType.Fixed64: json.WriteStringValue(input.ReadFixed64().ToString(CultureInfo.InvariantCulture)); break;
            default: throw new ProtoJsonException(field.FullName, $"field type {field.FieldType} is not supported");
        }
    }

    /// <summary>Whether values of the field may come packed (one length-delimited run of numbers).</summary>
    public static bool Packable(FieldDescriptor field) => field.FieldType is not (FieldType.String or FieldType.Bytes or FieldType.Message or FieldType.Group);

    private static void WriteFloat(Utf8JsonWriter json, double value)
    {
        if (double.IsNaN(value)) json.WriteStringValue("NaN");
        else if (double.IsPositiveInfinity(value)) json.WriteStringValue("Infinity");
        else if (double.IsNegativeInfinity(value)) json.WriteStringValue("-Infinity");
        else json.WriteNumberValue(value);
    }

    private static double Float(JsonElement json, string path)
    {
        if (json.ValueKind == JsonValueKind.Number) return json.GetDouble();
        if (json.ValueKind == JsonValueKind.String)
        {
            var text = json.GetString()!;
            if (text == "NaN") return double.NaN;
            if (text == "Infinity") return double.PositiveInfinity;
            if (text == "-Infinity") return double.NegativeInfinity;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return v;
        }
        throw ProtoJsonReader.Expected(path, "a number");
    }

    /// <summary>An integer in [min, max] from a JSON number (no fraction) or its text.</summary>
    private static decimal Integer(JsonElement json, string path, decimal min, decimal max)
    {
        var text = json.ValueKind switch
        {
            JsonValueKind.Number => json.GetRawText(),
            JsonValueKind.String => json.GetString()!,
            _ => throw ProtoJsonReader.Expected(path, "an integer"),
        };
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v != decimal.Truncate(v))
            throw ProtoJsonReader.Expected(path, "an integer");
        return v >= min && v <= max ? v : throw ProtoJsonReader.Expected(path, $"an integer in [{min}, {max}]");
    }
}
