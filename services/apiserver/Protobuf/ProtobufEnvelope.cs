using System.Text;

namespace Platform.ApiServer.Protobuf;

/// <summary>
/// Kubernetes' protobuf envelope: the 4 bytes <c>k8s\0</c>, then a <c>runtime.Unknown</c> — <c>typeMeta</c> (1:
/// apiVersion 1, kind 2), <c>raw</c> (2: the object's own message), <c>contentEncoding</c> (3), <c>contentType</c> (4).
/// </summary>
internal readonly ref struct ProtobufEnvelope(string apiVersion, string kind, ReadOnlySpan<byte> raw)
{
    public static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    public string ApiVersion { get; } = apiVersion;
    public string Kind { get; } = kind;
    public ReadOnlySpan<byte> Raw { get; } = raw;

    public static bool HasMagic(ReadOnlySpan<byte> data) => data.StartsWith(Magic);

    public static ProtobufEnvelope Read(ReadOnlySpan<byte> body)
    {
        if (!HasMagic(body)) throw new ProtobufException("does not start with the 4 bytes k8s\\0 of Kubernetes' protobuf envelope");
        if (body.Length == Magic.Length) throw new ProtobufException("the envelope is empty: no typeMeta and no object");
        string apiVersion = "", kind = "", encoding = "";
        ReadOnlySpan<byte> raw = default;
        var reader = new WireReader(body[Magic.Length..]);
        while (!reader.End)
        {
            var (number, wire) = reader.ReadTag();
            switch (number)
            {
                case 1:
                    var typeMeta = new WireReader(LengthDelimited(ref reader, wire, "typeMeta"));
                    while (!typeMeta.End)
                    {
                        var (n, w) = typeMeta.ReadTag();
                        if (n == 1) apiVersion = Utf8(LengthDelimited(ref typeMeta, w, "typeMeta.apiVersion"), "typeMeta.apiVersion");
                        else if (n == 2) kind = Utf8(LengthDelimited(ref typeMeta, w, "typeMeta.kind"), "typeMeta.kind");
                        else typeMeta.Skip(n, w);
                    }
                    break;
                case 2:
                    raw = LengthDelimited(ref reader, wire, "raw");
                    break;
                case 3:
                    encoding = Utf8(LengthDelimited(ref reader, wire, "contentEncoding"), "contentEncoding");
                    break;
                default:
                    reader.Skip(number, wire);
                    break;
            }
        }
        if (encoding.Length > 0) throw new ProtobufException($"contentEncoding '{Shorten(encoding)}' is not supported: send the object unencoded");
        if (kind.Length == 0) throw new ProtobufException("typeMeta.kind: required (Object 'Kind' is missing)");
        if (apiVersion.Length == 0) throw new ProtobufException("typeMeta.apiVersion: required (Object 'apiVersion' is missing)");
        return new ProtobufEnvelope(apiVersion, kind, raw);
    }

    internal static ReadOnlySpan<byte> LengthDelimited(scoped ref WireReader reader, WireType wire, string field) =>
        wire == WireType.LengthDelimited ? reader.ReadBytes()
            : throw new ProtobufException($"{field}: wire type {(int)wire}, expected 2 (length-delimited)");

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    internal static string Utf8(ReadOnlySpan<byte> bytes, string field) =>
        TryUtf8(bytes) ?? throw new ProtobufException($"{field}: is not valid UTF-8");

    internal static string? TryUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    internal static string Shorten(string s) => s.Length > 64 ? s[..64] + "..." : s;
}
