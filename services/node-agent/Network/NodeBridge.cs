using System.Globalization;

namespace Platform.NodeAgent.Network;

/// <summary>
/// The host side of the pod network, with iproute2 and nftables: the node's bridge holding the gateway address, one
/// veth per pod (host end on the bridge, the other end as eth0 in the sandbox's namespace), and the shared
/// <c>inet platform_podnet</c> table that lets traffic pass only between platform bridges and the node network
/// (<see cref="NodeInterfaces"/>, where <see cref="NodeRoutes"/> sends other nodes' pod CIDRs): nothing is routed off
/// the machine and there is no masquerade.
/// </summary>
internal sealed class NodeBridge(CommandRunner run, string bridge)
{
    public const string NftTable = "platform_podnet";

    /// <summary>
    /// The node network's interfaces (<c>./platform up --nodes</c>: <c>plnodes</c>, the bridge on the machine, and
    /// <c>plnode0</c> in each node's namespace): pod traffic to and from other nodes crosses them.
    /// </summary>
    public const string NodeInterfaces = "plnode*";

    /// <summary>
    /// The forward chain runs before the filter tables (priority -10), so its drops hold whatever others accept.
    /// The prerouting chain drops loopback destinations arriving from the bridges: the nftables proxy turns on
    /// route_localnet for 127.0.0.1 node ports, which would otherwise let a pod reach the host's loopback services.
    /// An accept ends only its own chain, though: a later table's drop still wins, see <see cref="IptablesAccept"/>.
    /// </summary>
    private const string Ruleset = $$"""
        table inet {{NftTable}} {}
        flush table inet {{NftTable}}
        table inet {{NftTable}} {
          chain prerouting {
            type filter hook prerouting priority -300; policy accept;
            iifname "plbr-*" ip daddr 127.0.0.0/8 counter drop
          }
          chain forward {
            type filter hook forward priority -10; policy accept;
            iifname "plbr-*" oifname "plbr-*" accept
            iifname "plbr-*" oifname "{{NodeInterfaces}}" accept
            iifname "{{NodeInterfaces}}" oifname "plbr-*" accept
            iifname "plbr-*" counter drop
            oifname "plbr-*" counter drop
          }
        }
        """;

    /// <summary>
    /// Docker with iptables sets iptables' FORWARD policy to DROP (and with br_netfilter even bridged packets pass it).
    /// No nft priority overrules another table's drop, so when iptables is installed the same bridge-to-bridge accept
    /// goes first in its FORWARD chain, tagged with the table's name so <c>./platform down</c> finds and removes it.
    /// </summary>
    public static readonly string[] IptablesAccept = ["FORWARD", "-i", "plbr-+", "-o", "plbr-+", "-m", "comment", "--comment", NftTable, "-j", "ACCEPT"];

    public string Name => bridge;

    /// <summary>Creates or fixes the bridge with <paramref name="cidr"/>'s gateway address, forwarding on it only, and the nft table.</summary>
    public async Task EnsureAsync(PodCidr cidr, CancellationToken ct)
    {
        var gateway = $"{cidr.Gateway}/{cidr.PrefixLength}";
        if ((await run.TryRunAsync("ip", ["link", "show", "dev", bridge], ct: ct)).Code != 0)
            await run.RunAsync("ip", ["link", "add", bridge, "type", "bridge"], ct: ct);
        var addresses = await run.RunAsync("ip", ["-o", "-4", "addr", "show", "dev", bridge], ct: ct);
        if (!addresses.Contains($" {gateway} ", StringComparison.Ordinal))
        {
            await run.RunAsync("ip", ["addr", "flush", "dev", bridge], ct: ct);
            await run.RunAsync("ip", ["addr", "add", gateway, "dev", bridge], ct: ct);
        }
        await run.RunAsync("ip", ["link", "set", bridge, "up"], ct: ct);
        await run.RunAsync("nft", ["-f", "-"], Ruleset, ct);
        await EnsureIptablesAcceptAsync(ct);
        // Only this bridge forwards (IPv4 checks the incoming interface), so a second node's bridge on this machine is
        // reachable while net.ipv4.ip_forward and every other interface stay as they were.
        await File.WriteAllTextAsync($"/proc/sys/net/ipv4/conf/{bridge}/forwarding", "1", ct);
    }

    /// <summary>Only where iptables' FORWARD policy drops: a host without that keeps its iptables untouched.</summary>
    private async Task EnsureIptablesAcceptAsync(CancellationToken ct)
    {
        if (!CommandRunner.Exists("iptables")) return;
        var forward = await run.TryRunAsync("iptables", ["-S", "FORWARD"], ct: ct);
        if (forward.Code != 0 || !forward.Stdout.Contains("-P FORWARD DROP", StringComparison.Ordinal)) return;
        if ((await run.TryRunAsync("iptables", ["-C", .. IptablesAccept], ct: ct)).Code != 0)
            await run.RunAsync("iptables", ["-I", IptablesAccept[0], "1", .. IptablesAccept[1..]], ct: ct);
    }

    /// <summary>
    /// Wires the sandbox whose process is <paramref name="pid"/>: a veth to the bridge (hairpin on, as CNI's bridge
    /// plugin sets it for kubelet, so a pod reaches itself through its Service's DNAT), eth0 with <paramref name="ip"/>,
    /// default route via the gateway. Two processes, one <c>ip -batch</c> on each side of the veth: pods start in
    /// parallel and every process spawned costs milliseconds. A sandbox that may be wired already (<paramref name="fresh"/>
    /// false: adopted after an agent restart) is checked first and left alone when its eth0 has the address.
    /// </summary>
    public async Task AttachAsync(string podUid, int pid, string ip, PodCidr cidr, bool fresh, CancellationToken ct)
    {
        var ns = pid.ToString(CultureInfo.InvariantCulture);
        if (!fresh)
        {
            var eth0 = await run.TryRunAsync("nsenter", ["-t", ns, "-n", "ip", "-o", "-4", "addr", "show", "dev", "eth0"], ct: ct);
            if (eth0.Code == 0 && eth0.Stdout.Contains($" {ip}/{cidr.PrefixLength} ", StringComparison.Ordinal)) return;
        }
        var host = NetworkNames.HostVeth(podUid);
        var peer = NetworkNames.PeerVeth(podUid);
        // A veth left by the pod's previous sandbox (the veth names are the pod's): its peer died with that namespace.
        // (/proc/sys/net, not /sys/class/net: it lists this process's network namespace also after nsenter --net.)
        if (Directory.Exists($"/proc/sys/net/ipv4/conf/{host}")) await DetachAsync(podUid, ct);
        await run.RunAsync("ip", ["-batch", "-"], $"""
            link add {host} type veth peer name {peer}
            link set {peer} netns {ns}
            link set {host} master {bridge}
            link set {host} type bridge_slave hairpin on
            link set {host} up
            """, ct);
        await run.RunAsync("nsenter", ["-t", ns, "-n", "ip", "-batch", "-"], $"""
            link set {peer} name eth0
            addr add {ip}/{cidr.PrefixLength} dev eth0
            link set eth0 up
            link set lo up
            route replace default via {cidr.Gateway}
            """, ct);
    }

    /// <summary>Deletes the pod's veth (both ends go); nothing to do when it is gone already.</summary>
    public async Task DetachAsync(string podUid, CancellationToken ct) => await DeleteLinkAsync(NetworkNames.HostVeth(podUid), ct);

    /// <summary>The veths on this bridge (host ends).</summary>
    public async Task<List<string>> VethsAsync(CancellationToken ct)
    {
        var r = await run.TryRunAsync("ip", ["-o", "link", "show", "master", bridge], ct: ct);
        if (r.Code != 0) return [];
        return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(':', 3) is { Length: 3 } parts ? parts[1].Trim().Split('@')[0] : "")
            .Where(n => n.StartsWith(NetworkNames.VethPrefix, StringComparison.Ordinal)).ToList();
    }

    public async Task DeleteLinkAsync(string name, CancellationToken ct)
    {
        var r = await run.TryRunAsync("ip", ["link", "del", name], ct: ct);
        if (r.Code != 0 && !r.Stderr.Contains("Cannot find device", StringComparison.Ordinal) && !r.Stderr.Contains("does not exist", StringComparison.Ordinal))
            throw new PodNetworkException($"ip link del {name}: exit {r.Code}: {r.Stderr.Trim()}");
    }
}
