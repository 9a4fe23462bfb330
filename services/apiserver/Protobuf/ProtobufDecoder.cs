using System.Text.Json.Nodes;
using Platform.Manifests.Parsing;

namespace Platform.ApiServer.Protobuf;

/// <summary>
/// Turns a Kubernetes protobuf body (<c>application/vnd.kubernetes.protobuf</c>, what client-go's typed clients send
/// for built-in kinds) into the JSON object a Go client would have sent as <c>application/json</c> for the same Go
/// struct: JSON names, <c>omitempty</c> zero values left out, pointers' zero values kept, inline fields flattened,
/// Time, Quantity, IntOrString ... in their JSON forms — and struct values left empty dropped, since Go cannot tell
/// them from absent ones. Fields the schema does not know are skipped, as Kubernetes skips them. Everything after
/// (admission, validation) sees JSON only. Errors name the field's JSON path.
/// </summary>
internal sealed class ProtobufDecoder(ProtoSchema schema)
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";
    /// <summary>The deepest JSON nesting a decoded body may reach, as for JSON and YAML bodies.</summary>
    public const int MaxDepth = ManifestParser.MaxDepth;

    public static bool IsProtobuf(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var mediaType = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return mediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The object an envelope holds, with its <c>apiVersion</c> and <c>kind</c>.</summary>
    public JsonObject Decode(ProtobufEnvelope envelope) => Decode(envelope, depth: 0, path: "");

    private JsonObject Decode(ProtobufEnvelope envelope, int depth, string path)
    {
        var message = schema.ForKind(envelope.ApiVersion, envelope.Kind) ?? throw new ProtobufException(
            $"{At(path)}no kind \"{ProtobufEnvelope.Shorten(envelope.Kind)}\" is registered for version \"{ProtobufEnvelope.Shorten(envelope.ApiVersion)}\"");
        var obj = new JsonObject { ["apiVersion"] = envelope.ApiVersion, ["kind"] = envelope.Kind };
        DecodeFields(obj, message, envelope.Raw, depth + 1, path);
        return obj;
    }

    /// <summary>Decodes a message's fields into <paramref name="target"/>, the JSON object at <paramref name="path"/>.</summary>
    private void DecodeFields(JsonObject target, ProtoMessage message, ReadOnlySpan<byte> data, int depth, string path)
    {
        if (depth > MaxDepth) throw new ProtobufException($"{At(path)}nesting deeper than {MaxDepth} levels");
        var reader = new WireReader(data);
        while (!reader.End)
        {
            var (number, wire) = Tag(ref reader, path);
            if (!message.Fields.TryGetValue(number, out var field))
            {
                Skip(ref reader, path, number, wire);
                continue;
            }
            var name = field.JsonName;
            var at = Join(path, name);
            switch (field.Label)
            {
                case FieldLabel.Map:
                    var map = target[name] as JsonObject ?? Set(target, name, new JsonObject());
                    ReadMapEntry(map, field, Payload(ref reader, wire, field, at), depth + 1, at);
                    break;
                case FieldLabel.Repeated:
                    // Attached once it holds a value: an empty packed run is an empty Go slice, which JSON leaves out.
                    var existing = target[name] as JsonArray;
                    var array = existing ?? [];
                    ReadRepeated(array, field, ref reader, wire, depth + 1, at);
                    if (existing is null && array.Count > 0) target[name] = array;
                    break;
                case FieldLabel.Optional when field.Inline:
                    DecodeFields(target, field.Message!, Payload(ref reader, wire, field, at), depth + 1, path);
                    break;
                case FieldLabel.Optional when field.Message is { } fieldMessage:
                    var previous = target[name];
                    var node = MessageValue(fieldMessage, Payload(ref reader, wire, field, at), previous, depth + 1, at);
                    // A Go struct value (not a pointer) left empty means what an absent one means: JSON leaves it out.
                    if (!field.KeepZero && IsEmpty(fieldMessage, node)) target.Remove(name);
                    else if (node is null) target[name] = null;
                    else if (!ReferenceEquals(node, previous)) target[name] = node;
                    break;
                default:
                    var (value, zero) = ProtoScalars.Read(ref reader, wire, field, field.Type, at);
                    if (zero && !field.KeepZero) target.Remove(name);
                    else target[name] = value;
                    break;
            }
        }
    }

    private void ReadRepeated(JsonArray array, ProtoField field, ref WireReader reader, WireType wire, int depth, string path)
    {
        if (field.Message is { } message)
        {
            var payload = Payload(ref reader, wire, field, path);
            array.Add(MessageValue(message, payload, existing: null, depth + 1, $"{path}[{array.Count}]"));
            return;
        }
        if (wire == WireType.LengthDelimited && field.Type is not (ProtoType.String or ProtoType.Bytes))
        {
            // Packed: one length-delimited run of values.
            var packed = new WireReader(Payload(ref reader, wire, field, path));
            while (!packed.End) array.Add(ProtoScalars.Read(ref packed, ProtoScalars.WireOf(field.Type), field, field.Type, path).Value);
            return;
        }
        array.Add(ProtoScalars.Read(ref reader, wire, field, field.Type, path).Value);
    }

    /// <summary>A map entry is a message of key (1) and value (2); either may be missing and is then its zero value.</summary>
    private void ReadMapEntry(JsonObject map, ProtoField field, ReadOnlySpan<byte> entry, int depth, string path)
    {
        var reader = new WireReader(entry);
        var key = field.KeyType switch { ProtoType.String => "", ProtoType.Bool => "false", _ => "0" };
        JsonNode? value = null;
        var hasValue = false;
        while (!reader.End)
        {
            var (number, wire) = Tag(ref reader, path);
            if (number == 1)
                key = ProtoScalars.Read(ref reader, wire, field, field.KeyType, path).Value!.ToString();
            else if (number == 2 && field.Message is { } message)
            {
                value = MessageValue(message, Payload(ref reader, wire, field, path), existing: null, depth + 1, $"{path}[{key}]");
                hasValue = true;
            }
            else if (number == 2)
            {
                value = ProtoScalars.Read(ref reader, wire, field, field.Type, path).Value;
                hasValue = true;
            }
            else Skip(ref reader, path, number, wire);
        }
        map[key] = hasValue ? value : ZeroOf(field);
    }

    /// <summary>
    /// A message's JSON: a well-known type's own form, an array for a wrapped Go slice, else an object — merged into
    /// the one the same field already set, as protobuf merges a singular message that appears twice.
    /// </summary>
    private JsonNode? MessageValue(ProtoMessage message, ReadOnlySpan<byte> payload, JsonNode? existing, int depth, string path)
    {
        if (depth > MaxDepth) throw new ProtobufException($"{path}: nesting deeper than {MaxDepth} levels");
        if (message.WellKnown == WellKnown.RawExtension) return RawExtension(payload, depth, path);
        if (message.WellKnown != WellKnown.None) return WellKnownTypes.Decode(message.WellKnown, payload, depth, path);
        if (message.IsArray)
        {
            var wrapper = new JsonObject();
            DecodeFields(wrapper, message, payload, depth, path);
            var array = existing as JsonArray ?? [];
            if (wrapper["items"] is JsonArray items)
                foreach (var item in items.ToList())
                {
                    items.Remove(item);
                    array.Add(item);
                }
            return array;
        }
        var obj = existing as JsonObject ?? new JsonObject();
        DecodeFields(obj, message, payload, depth, path);
        return obj;
    }

    /// <summary>runtime RawExtension: raw (1) holds the embedded object, as JSON or as a nested protobuf envelope.</summary>
    private JsonNode? RawExtension(ReadOnlySpan<byte> payload, int depth, string path)
    {
        var reader = new WireReader(payload);
        ReadOnlySpan<byte> raw = default;
        var present = false;
        while (!reader.End)
        {
            var (number, wire) = Tag(ref reader, path);
            if (number != 1)
            {
                Skip(ref reader, path, number, wire);
                continue;
            }
            if (wire != WireType.LengthDelimited) throw new ProtobufException($"{path}.raw: wire type {(int)wire}, expected 2 (length-delimited)");
            raw = reader.ReadBytes();
            present = true;
        }
        if (!present) return null;
        if (!ProtobufEnvelope.HasMagic(raw)) return WellKnownTypes.Json(raw, depth, path);
        ProtobufEnvelope envelope;
        try
        {
            envelope = ProtobufEnvelope.Read(raw);
        }
        catch (ProtobufException ex)
        {
            throw new ProtobufException($"{path}: {ex.Message}");
        }
        return Decode(envelope, depth, path);
    }

    private static bool IsEmpty(ProtoMessage message, JsonNode? node) => node switch
    {
        null => true,
        JsonObject o => o.Count == 0,
        JsonArray a => a.Count == 0,
        _ => JsonNode.DeepEquals(node, WellKnownTypes.Zero(message.WellKnown)),
    };

    private static JsonNode? ZeroOf(ProtoField field) => field.Message switch
    {
        { WellKnown: not WellKnown.None } m => WellKnownTypes.Zero(m.WellKnown),
        { IsArray: true } => new JsonArray(),
        not null => new JsonObject(),
        null => field.Type switch
        {
            ProtoType.String or ProtoType.Bytes => JsonValue.Create(""),
            ProtoType.Bool => JsonValue.Create(false),
            _ => JsonValue.Create(0),
        },
    };

    private static ReadOnlySpan<byte> Payload(scoped ref WireReader reader, WireType wire, ProtoField field, string path)
    {
        if (wire != WireType.LengthDelimited) throw ProtoScalars.WrongWire(field, field.Label == FieldLabel.Map ? ProtoType.Message : field.Type, wire, WireType.LengthDelimited, path);
        try
        {
            return reader.ReadBytes();
        }
        catch (ProtobufException ex)
        {
            throw new ProtobufException($"{path}: {ex.Message}");
        }
    }

    private static (int, WireType) Tag(ref WireReader reader, string path)
    {
        try
        {
            return reader.ReadTag();
        }
        catch (ProtobufException ex)
        {
            throw new ProtobufException($"{At(path)}{ex.Message}");
        }
    }

    /// <summary>Skips an unknown field; a malformed one is still an error.</summary>
    private static void Skip(ref WireReader reader, string path, int number, WireType wire)
    {
        try
        {
            reader.Skip(number, wire);
        }
        catch (ProtobufException ex)
        {
            throw new ProtobufException($"{At(path)}{ex.Message}");
        }
    }

    private static T Set<T>(JsonObject target, string name, T node) where T : JsonNode
    {
        target[name] = node;
        return node;
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string At(string path) => path.Length == 0 ? "" : path + ": ";
}
