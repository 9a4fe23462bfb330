using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Platform.ControllerManager.Controllers.NodeIpam;

/// <summary>
/// The node subnets of one cluster CIDR (Kubernetes' <c>cidrset</c>): the cluster range cut into <c>/maskSize</c>
/// subnets, handed out round-robin from where the last allocation stopped, each at most once. IPv4 only.
/// </summary>
internal sealed class CidrSet
{
    private readonly Lock _lock = new();
    private readonly uint _base;
    private readonly int _maskSize;
    private readonly bool[] _used;
    private int _next;

    public CidrSet(IPNetwork cluster, int maskSize)
    {
        if (cluster.BaseAddress.AddressFamily != AddressFamily.InterNetwork) throw new ArgumentException("only an IPv4 cluster CIDR is supported", nameof(cluster));
        if (maskSize < cluster.PrefixLength || maskSize > 30) throw new ArgumentOutOfRangeException(nameof(maskSize), $"must be between {cluster.PrefixLength} and 30");
        _base = ToUInt(cluster.BaseAddress);
        _maskSize = maskSize;
        _used = new bool[1 << Math.Min(maskSize - cluster.PrefixLength, 24)];
        Cluster = cluster;
    }

    public IPNetwork Cluster { get; }

    /// <summary>Subnets free right now.</summary>
    public int Free
    {
        get { lock (_lock) return _used.Count(u => !u); }
    }

    /// <summary>The next free subnet, marked used; null when the range is full.</summary>
    public string? AllocateNext()
    {
        lock (_lock)
        {
            for (var i = 0; i < _used.Length; i++)
            {
                var index = (_next + i) % _used.Length;
                if (_used[index]) continue;
                _used[index] = true;
                _next = (index + 1) % _used.Length;
                return ToCidr(index);
            }
            return null;
        }
    }

    /// <summary>Marks <paramref name="cidr"/> used (a node that already has it); false when it is not one of this set's subnets.</summary>
    public bool Occupy(string cidr) => Mark(cidr, true);

    /// <summary>Frees <paramref name="cidr"/> for the next node.</summary>
    public bool Release(string cidr) => Mark(cidr, false);

    private bool Mark(string cidr, bool used)
    {
        if (IndexOf(cidr) is not int index) return false;
        lock (_lock) _used[index] = used;
        return true;
    }

    private int? IndexOf(string cidr)
    {
        if (!IPNetwork.TryParse(cidr, out var net) || net.PrefixLength != _maskSize || !Cluster.Contains(net.BaseAddress)) return null;
        var index = (ToUInt(net.BaseAddress) - _base) >> (32 - _maskSize);
        return index < _used.Length ? (int)index : null;
    }

    private string ToCidr(int index)
    {
        var address = _base + ((uint)index << (32 - _maskSize));
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return $"{new IPAddress(bytes)}/{_maskSize}";
    }

    private static uint ToUInt(IPAddress a) => BinaryPrimitives.ReadUInt32BigEndian(a.GetAddressBytes());
}
