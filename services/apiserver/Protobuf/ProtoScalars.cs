using System.Globalization;
using System.Text.Json.Nodes;

namespace Platform.ApiServer.Protobuf;

/// <summary>Reads one scalar field value as its JSON value, checking the wire type its proto type needs.</summary>
internal static class ProtoScalars
{
    /// <summary>The value, and whether it is its type's zero (which <c>omitempty</c> leaves out).</summary>
    public static (JsonNode? Value, bool Zero) Read(ref WireReader reader, WireType wire, ProtoField field, ProtoType type, string path)
    {
        var expected = WireOf(type);
        if (wire != expected) throw WrongWire(field, type, wire, expected, path);
        try
        {
            switch (type)
            {
                case ProtoType.String:
                    var s = ProtobufEnvelope.TryUtf8(reader.ReadBytes()) ?? throw new ProtobufException("is not valid UTF-8");
                    return (JsonValue.Create(s), s.Length == 0);
                case ProtoType.Bytes:
                    var b = reader.ReadBytes();
                    return (JsonValue.Create(Convert.ToBase64String(b)), b.IsEmpty);
                case ProtoType.Fixed32:
                    var u32 = reader.ReadFixed32();
                    return (JsonValue.Create(u32), u32 == 0);
                case ProtoType.SFixed32:
                    var i32 = (int)reader.ReadFixed32();
                    return (JsonValue.Create(i32), i32 == 0);
                case ProtoType.Float:
                    var f = BitConverter.Int32BitsToSingle((int)reader.ReadFixed32());
                    return (JsonValue.Create(Finite(f)), f == 0);
                case ProtoType.Fixed64:
                    var u64 = reader.ReadFixed64();
                    return (JsonValue.Create(u64), u64 == 0);
                case ProtoType.SFixed64:
                    var i64 = (long)reader.ReadFixed64();
                    return (JsonValue.Create(i64), i64 == 0);
                case ProtoType.Double:
                    var d = BitConverter.Int64BitsToDouble((long)reader.ReadFixed64());
                    return (JsonValue.Create(Finite(d)), d == 0);
            }
            var v = reader.ReadVarint();
            return type switch
            {
                ProtoType.Bool => (JsonValue.Create(v != 0), v == 0),
                // Go truncates an int32's varint to its low 32 bits, as these casts do.
                ProtoType.Int32 or ProtoType.Enum => (JsonValue.Create((int)v), (int)v == 0),
                ProtoType.UInt32 => (JsonValue.Create((uint)v), (uint)v == 0),
                ProtoType.SInt32 => (JsonValue.Create((int)((uint)v >> 1) ^ -(int)((uint)v & 1)), (uint)v == 0),
                ProtoType.UInt64 => (JsonValue.Create(v), v == 0),
                ProtoType.SInt64 => (JsonValue.Create((long)(v >> 1) ^ -(long)(v & 1)), v == 0),
                _ => (JsonValue.Create((long)v), v == 0),
            };
        }
        catch (ProtobufException ex)
        {
            throw new ProtobufException($"{path}: {ex.Message}");
        }
    }

    private static double Finite(double value) =>
        double.IsFinite(value) ? value : throw new ProtobufException($"{value.ToString(CultureInfo.InvariantCulture)} has no JSON form");

    public static WireType WireOf(ProtoType type) => type switch
    {
        ProtoType.Double or ProtoType.Fixed64 or ProtoType.SFixed64 => WireType.Fixed64,
        ProtoType.Float or ProtoType.Fixed32 or ProtoType.SFixed32 => WireType.Fixed32,
        ProtoType.String or ProtoType.Bytes or ProtoType.Message => WireType.LengthDelimited,
        _ => WireType.Varint,
    };

    public static ProtobufException WrongWire(ProtoField field, ProtoType type, WireType wire, WireType expected, string path) =>
        new($"{path} (field {field.Number}, {(type == ProtoType.Message ? field.TypeName : type.ToString().ToLowerInvariant())}): " +
            $"wire type {(int)wire}, expected {(int)expected}");
}
