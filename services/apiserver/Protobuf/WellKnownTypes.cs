using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.ApiServer.Protobuf;

/// <summary>
/// The JSON forms of the apimachinery types whose Go code writes its own JSON, from their protobuf messages
/// (RawExtension, which may hold a nested envelope, is the decoder's).
/// </summary>
internal static class WellKnownTypes
{
    private const long MinSeconds = -62_135_596_800;   // 0001-01-01T00:00:00Z
    private const long MaxSeconds = 253_402_300_799;   // 9999-12-31T23:59:59Z

    public static JsonNode? Decode(WellKnown kind, ReadOnlySpan<byte> payload, int depth, string path) => kind switch
    {
        WellKnown.Time => Time(payload, path, micro: false),
        WellKnown.MicroTime => Time(payload, path, micro: true),
        WellKnown.Duration => JsonValue.Create(GoDuration.Format((long)Fields(payload, path).Varint(1))),
        WellKnown.IntOrString => IntOrString(payload, path),
        WellKnown.Quantity => Quantity(payload, path),
        WellKnown.FieldsV1 => Fields(payload, path).Bytes(1) is { } raw ? Json(raw, depth, path) : null,
        _ => throw new InvalidOperationException($"{kind} is not decoded here"),
    };

    /// <summary>The JSON of a well-known type's zero value: a map entry without a value; a struct value that is left out.</summary>
    public static JsonNode? Zero(WellKnown kind) => kind switch
    {
        WellKnown.Duration => JsonValue.Create("0s"),
        WellKnown.IntOrString => JsonValue.Create(0),
        WellKnown.Quantity => JsonValue.Create("0"),
        _ => null,
    };

    /// <summary>Embedded JSON (RawExtension, FieldsV1), held to the depth the body has left.</summary>
    public static JsonNode? Json(ReadOnlySpan<byte> raw, int depth, string path)
    {
        try
        {
            return JsonNode.Parse(raw, documentOptions: new JsonDocumentOptions
            {
                MaxDepth = Math.Max(1, ProtobufDecoder.MaxDepth - depth), AllowDuplicateProperties = false,
            });
        }
        catch (JsonException ex)
        {
            throw new ProtobufException($"{path}: the embedded bytes are not JSON ({ex.Message.Split(" Path:")[0].Split(" LineNumber:")[0]})");
        }
    }

    /// <summary>
    /// meta/v1 Time and MicroTime: an empty message is Go's zero time, JSON <c>null</c>. Time keeps whole seconds (its Go
    /// unmarshaller drops nanos); MicroTime keeps microseconds.
    /// </summary>
    private static JsonValue? Time(ReadOnlySpan<byte> payload, string path, bool micro)
    {
        if (payload.IsEmpty) return null;
        var fields = Fields(payload, path);
        var seconds = (long)fields.Varint(1);
        var nanos = (int)fields.Varint(2);
        if (seconds is < MinSeconds or > MaxSeconds)
            throw new ProtobufException($"{path}: seconds {seconds} is outside the years 0001 to 9999");
        var time = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
        if (!micro) return JsonValue.Create(time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        if (nanos is < 0 or > 999_999_999) throw new ProtobufException($"{path}: nanos {nanos} is outside 0..999999999");
        return JsonValue.Create(time.AddTicks(nanos / 1000 * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
    }

    /// <summary>intstr IntOrString: type 0 is the number intVal, type 1 the string strVal.</summary>
    private static JsonValue IntOrString(ReadOnlySpan<byte> payload, string path)
    {
        var fields = Fields(payload, path);
        return (long)fields.Varint(1) switch
        {
            0 => JsonValue.Create((int)fields.Varint(2)),
            1 => JsonValue.Create(fields.Bytes(3) is { } s ? ProtobufEnvelope.Utf8(s, path + ".strVal") : ""),
            var type => throw new ProtobufException($"{path}: IntOrString type {type} is neither 0 (int) nor 1 (string)"),
        };
    }

    /// <summary>resource Quantity: its canonical string, checked later as a JSON quantity is.</summary>
    private static JsonValue Quantity(ReadOnlySpan<byte> payload, string path)
    {
        if (Fields(payload, path).Bytes(1) is not { } bytes) return JsonValue.Create("0");
        var text = ProtobufEnvelope.Utf8(bytes, path);
        return text.Length > 0 ? JsonValue.Create(text) : throw new ProtobufException($"{path}: a quantity cannot be an empty string");
    }

    private static SmallMessage Fields(ReadOnlySpan<byte> payload, string path) => SmallMessage.Read(payload, path);

    /// <summary>The last value of each field 1..3 of a small message (varints and byte strings), other fields skipped.</summary>
    private readonly struct SmallMessage
    {
        private readonly ulong[] _varints;
        private readonly byte[]?[] _bytes;
        private readonly WireType?[] _wires;
        private readonly string _path;

        private SmallMessage(ulong[] varints, byte[]?[] bytes, WireType?[] wires, string path)
        {
            _varints = varints;
            _bytes = bytes;
            _wires = wires;
            _path = path;
        }

        public ulong Varint(int number) => _wires[number] is null or WireType.Varint ? _varints[number] : throw WrongWire(number, "a varint");

        public byte[]? Bytes(int number) => _wires[number] is null or WireType.LengthDelimited ? _bytes[number] : throw WrongWire(number, "bytes");

        private ProtobufException WrongWire(int number, string expected) =>
            new($"{_path}: field {number} has wire type {(int)_wires[number]!}, expected {expected}");

        public static SmallMessage Read(ReadOnlySpan<byte> payload, string path)
        {
            var varints = new ulong[4];
            var bytes = new byte[]?[4];
            var wires = new WireType?[4];
            var reader = new WireReader(payload);
            try
            {
                while (!reader.End)
                {
                    var (number, wire) = reader.ReadTag();
                    if (number > 3)
                    {
                        reader.Skip(number, wire);
                        continue;
                    }
                    wires[number] = wire;
                    if (wire == WireType.Varint) varints[number] = reader.ReadVarint();
                    else if (wire == WireType.LengthDelimited) bytes[number] = reader.ReadBytes().ToArray();
                    else reader.Skip(number, wire);
                }
            }
            catch (ProtobufException ex)
            {
                throw new ProtobufException($"{path}: {ex.Message}");
            }
            return new SmallMessage(varints, bytes, wires, path);
        }
    }
}
