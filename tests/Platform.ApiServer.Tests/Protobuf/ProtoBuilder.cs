using System.Text;

namespace Platform.ApiServer.Tests.Protobuf;

/// <summary>Writes protobuf wire format by hand, field by field, for bytes no encoder would produce (and some it would).</summary>
internal sealed class ProtoBuilder
{
    private readonly MemoryStream _bytes = new();

    public ProtoBuilder Varint(int field, ulong value) => Tag(field, 0).Raw(Encode(value));

    public ProtoBuilder Varint(int field, long value) => Varint(field, (ulong)value);

    public ProtoBuilder String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoBuilder Bytes(int field, byte[] value) => Tag(field, 2).Raw(Encode((ulong)value.Length)).Raw(value);

    public ProtoBuilder Message(int field, Action<ProtoBuilder> build)
    {
        var inner = new ProtoBuilder();
        build(inner);
        return Bytes(field, inner.ToArray());
    }

    /// <summary>A packed repeated varint field: one length-delimited run.</summary>
    public ProtoBuilder Packed(int field, params long[] values) => Bytes(field, [.. values.SelectMany(v => Encode((ulong)v))]);

    public ProtoBuilder Fixed32(int field, uint value) => Tag(field, 5).Raw(BitConverter.GetBytes(value));

    public ProtoBuilder Fixed64(int field, ulong value) => Tag(field, 1).Raw(BitConverter.GetBytes(value));

    /// <summary>A map entry: key 1, value 2.</summary>
    public ProtoBuilder Entry(int field, string key, Action<ProtoBuilder> value) => Message(field, e => value(e.String(1, key)));

    public ProtoBuilder Tag(int field, int wire) => Raw(Encode(((ulong)field << 3) | (uint)wire));

    public ProtoBuilder Raw(byte[] bytes)
    {
        _bytes.Write(bytes);
        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();

    /// <summary>The envelope: <c>k8s\0</c>, then runtime.Unknown {typeMeta {apiVersion, kind}, raw}.</summary>
    public static byte[] Envelope(string apiVersion, string kind, Action<ProtoBuilder> raw)
    {
        var unknown = new ProtoBuilder()
            .Message(1, t => t.String(1, apiVersion).String(2, kind))
            .Message(2, raw);
        return [.. "k8s\0"u8, .. unknown.ToArray()];
    }

    public static byte[] Encode(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        bytes.Add((byte)value);
        return [.. bytes];
    }
}
