using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Platform.ApiServer.ServiceAllocation;

/// <summary>An IPv4 CIDR of cluster IPs; addresses are handled as offsets from its network address.</summary>
internal sealed record ServiceIpRange(string Cidr, uint Network, int PrefixLength)
{
    /// <summary>How many addresses the range spans, network and broadcast included.</summary>
    public long Size => 1L << (32 - PrefixLength);

    /// <summary>The lowest offset automatic allocation hands out: the first host address is kept for the <c>kubernetes</c> Service.</summary>
    public long FirstDynamic => Math.Min(2, LastHost);

    /// <summary>The highest host offset (the broadcast address is never allocated).</summary>
    public long LastHost => Size - 2;

    public IPAddress NetworkAddress => At(0);

    public IPAddress At(long offset)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)(Network + offset));
        return new IPAddress(bytes);
    }

    /// <summary>The offset of <paramref name="ip"/> when it is a host address of the range (network and broadcast are not).</summary>
    public bool TryOffset(IPAddress ip, out long offset)
    {
        offset = 0;
        if (ip.AddressFamily != AddressFamily.InterNetwork) return false;
        var value = BinaryPrimitives.ReadUInt32BigEndian(ip.GetAddressBytes());
        offset = (long)value - Network;
        return offset >= 1 && offset <= LastHost;
    }

    public static bool TryParse(string? text, [NotNullWhen(true)] out ServiceIpRange? range, out string why)
    {
        range = null;
        why = "";
        var parts = text?.Split('/') ?? [];
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var ip) || ip.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(parts[1], out var prefix))
        {
            why = $"'{text}' is not an IPv4 CIDR such as 10.96.0.0/16";
            return false;
        }
        if (prefix is < 8 or > 30)
        {
            why = "the prefix length must be between 8 and 30 (at least 2 host addresses, at most a /8)";
            return false;
        }
        var value = BinaryPrimitives.ReadUInt32BigEndian(ip.GetAddressBytes());
        var mask = uint.MaxValue << (32 - prefix);
        if ((value & mask) != value)
        {
            why = $"'{text}' has host bits set (not the network address of the /{prefix})";
            return false;
        }
        range = new ServiceIpRange(text!, value, prefix);
        return true;
    }
}
