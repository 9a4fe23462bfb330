namespace Platform.NodeAgent.Network;

/// <summary>
/// CNI's host-local IPAM: one file per leased address under <c>{StateDirectory}/network/ipam/&lt;ip&gt;</c> holding the
/// pod's uid, so leases survive an agent restart; a pod asking again gets the address it already holds.
/// </summary>
internal sealed class IpamStore(string directory)
{
    private readonly Lock _lock = new();

    public string Directory => directory;

    /// <summary>The address leased to <paramref name="podUid"/>, or the next free one of <paramref name="cidr"/> newly leased to it.</summary>
    public string Allocate(PodCidr cidr, string podUid)
    {
        lock (_lock)
        {
            System.IO.Directory.CreateDirectory(directory);
            var leases = Leases();
            if (leases.FirstOrDefault(l => l.PodUid == podUid) is { Ip: var held } && IsIn(cidr, held)) return held;
            var taken = leases.Select(l => l.Ip).ToHashSet();
            foreach (var ip in cidr.PodAddresses())
            {
                var text = ip.ToString();
                if (taken.Contains(text)) continue;
                File.WriteAllText(Path.Combine(directory, text), podUid);
                return text;
            }
            throw new PodNetworkException($"no free pod IP left in {cidr}: {taken.Count} leased");
        }
    }

    /// <summary>Drops every lease of <paramref name="podUid"/>.</summary>
    public void Release(string podUid)
    {
        lock (_lock)
            foreach (var lease in Leases().Where(l => l.PodUid == podUid)) File.Delete(Path.Combine(directory, lease.Ip));
    }

    /// <summary>Every lease held: (ip, pod uid).</summary>
    public List<(string Ip, string PodUid)> Leases()
    {
        if (!System.IO.Directory.Exists(directory)) return [];
        return System.IO.Directory.GetFiles(directory)
            .Select(f => (Ip: Path.GetFileName(f), PodUid: File.ReadAllText(f).Trim()))
            .Where(l => System.Net.IPAddress.TryParse(l.Ip, out _))
            .ToList();
    }

    private static bool IsIn(PodCidr cidr, string ip) => System.Net.IPAddress.TryParse(ip, out var a) && cidr.Network.Contains(a);
}
