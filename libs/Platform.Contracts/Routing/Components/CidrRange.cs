using System.Net;

namespace Platform.Contracts.Routing;

/// <summary>An address range in CIDR notation (<c>192.168.1.1/24</c>; a bare address is /32 or /128).</summary>
public sealed record CidrRange(IPAddress Network, int PrefixLength)
{
    public static CidrRange Parse(string text, string argument)
    {
        var slash = text.IndexOf('/');
        var addrText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addrText, out var address))
            throw new GatewayArgumentException(argument, $"'{text}' is not an IP address or CIDR range");
        var max = address.GetAddressBytes().Length * 8;
        var prefix = max;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], out prefix) || prefix < 0 || prefix > max))
            throw new GatewayArgumentException(argument, $"'{text}': prefix length must be 0..{max}");
        return new CidrRange(address, prefix);
    }

    public bool Contains(IPAddress? candidate)
    {
        if (candidate is null) return false;
        if (candidate.IsIPv4MappedToIPv6 && Network.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) candidate = candidate.MapToIPv4();
        var a = Network.GetAddressBytes();
        var b = candidate.GetAddressBytes();
        if (a.Length != b.Length) return false;
        var bits = PrefixLength;
        for (var i = 0; i < a.Length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (byte)(0xFF << (8 - bits));
            if ((a[i] & mask) != (b[i] & mask)) return false;
        }
        return true;
    }
}
