using System.Buffers.Binary;

namespace Platform.ApiServer.Protobuf;

/// <summary>
/// Reads the protobuf wire format from a span, every length checked against what is left: a malformed body ends in a
/// <see cref="ProtobufException"/>, never an out-of-range read or a loop.
/// </summary>
internal ref struct WireReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _at;

    public readonly bool End => _at >= _data.Length;

    /// <summary>The next field's number and wire type.</summary>
    public (int Number, WireType Wire) ReadTag()
    {
        var tag = ReadVarint();
        var number = tag >> 3;
        var wire = (WireType)(tag & 7);
        if (number is 0 or > 536_870_911) throw new ProtobufException($"field number {number} is outside 1..2^29-1");
        if (wire > WireType.Fixed32) throw new ProtobufException($"field {number}: wire type {(int)wire} does not exist");
        return ((int)number, wire);
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_at >= _data.Length) throw new ProtobufException("the data ends inside a varint");
            var b = _data[_at++];
            if (shift == 63 && b > 1) throw new ProtobufException("a varint overflows 64 bits");
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new ProtobufException("a varint is longer than 10 bytes");
    }

    public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "a fixed32"));

    public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "a fixed64"));

    /// <summary>A length-delimited payload: a varint length, then that many bytes.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _at))
            throw new ProtobufException($"a length of {length} bytes runs past the end of the data ({_data.Length - _at} bytes left)");
        return Take((int)length, "a length-delimited field");
    }

    /// <summary>Skips a field this schema does not know, as Kubernetes does.</summary>
    public void Skip(int number, WireType wire)
    {
        switch (wire)
        {
            case WireType.Varint: ReadVarint(); break;
            case WireType.Fixed64: Take(8, "a fixed64"); break;
            case WireType.LengthDelimited: ReadBytes(); break;
            case WireType.Fixed32: Take(4, "a fixed32"); break;
            default: throw new ProtobufException($"field {number}: groups (wire types 3 and 4) are not part of Kubernetes' encoding");
        }
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > _data.Length - _at) throw new ProtobufException($"the data ends inside {what}");
        var slice = _data.Slice(_at, count);
        _at += count;
        return slice;
    }
}
