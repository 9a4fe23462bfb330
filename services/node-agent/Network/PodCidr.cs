using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Platform.NodeAgent.Network;

/// <summary>A node's IPv4 pod range: the first address is the bridge (gateway), pods get the rest but the broadcast address.</summary>
internal sealed record PodCidr(IPNetwork Network)
{
    public static PodCidr Parse(string cidr)
    {
        var net = IPNetwork.Parse(cidr);
        if (net.BaseAddress.AddressFamily != AddressFamily.InterNetwork || net.PrefixLength > 30)
            throw new PodNetworkException($"pod CIDR '{cidr}' must be an IPv4 range of /30 or wider");
        return new PodCidr(net);
    }

    public int PrefixLength => Network.PrefixLength;

    public IPAddress Gateway => At(1);

    /// <summary>The addresses pods may have, in order: network, gateway and broadcast skipped.</summary>
    public IEnumerable<IPAddress> PodAddresses()
    {
        var size = 1L << (32 - PrefixLength);
        for (long i = 2; i < size - 1; i++) yield return At((uint)i);
    }

    private IPAddress At(uint offset)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, BinaryPrimitives.ReadUInt32BigEndian(Network.BaseAddress.GetAddressBytes()) + offset);
        return new IPAddress(bytes);
    }

    public override string ToString() => Network.ToString();
}
