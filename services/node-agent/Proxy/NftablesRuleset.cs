using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Platform.NodeAgent.Network;

namespace Platform.NodeAgent.Proxy;

/// <summary>One Service port as the proxy serves it: where clients reach it, its ready backends, its ClientIP affinity.</summary>
/// <param name="Key"><c>namespace/service:port</c>.</param>
/// <param name="Frontends">ClusterIP:port, the node's load balancer address:port, and <c>0.0.0.0:nodePort</c> for a node port.</param>
internal sealed record ProxiedPort(string Key, IReadOnlyList<IPEndPoint> Frontends, IReadOnlyList<IPEndPoint> Backends, TimeSpan? Affinity);

/// <summary>
/// The nftables mode's rules (kube-proxy's nftables mode, reduced to TCP and one address family), as one
/// <c>nft -f</c> transaction against the node's own <c>ip</c> table:
/// <list type="bullet">
/// <item>nat <c>prerouting</c> (pods' traffic) and <c>output</c> (the host's) jump to <c>services</c>: a verdict map
/// from ClusterIP/load balancer address . port, and for local destinations a map from node port, to one chain per
/// Service port;</item>
/// <item>a Service port's chain picks a backend with <c>numgen random</c> (after the ClientIP affinity sets, when it
/// has affinity), and each backend's chain marks the connection with the table's own mark (<see cref="MarkOf"/>),
/// refreshes its affinity entry and DNATs;</item>
/// <item>marked connections from pods and from loopback addresses are masqueraded (so a pod reaching a backend on its
/// own bridge, itself included, and 127.0.0.1 node ports get their replies back through the host), and a marked
/// connection whose backend has left the <c>backends</c> set is reset at its next packet: connections to a removed
/// endpoint end.</item>
/// </list>
/// A Service port without ready backends has no entry: its ClusterIP is a local address of the node and the node port
/// is not listened on, so the kernel resets the connection (kube-proxy's REJECT).
/// Reconciles flush and refill the chains and maps in place: the affinity sets (named by port, backend and timeout)
/// keep their entries while their backend stays.
/// </summary>
internal static class NftablesRuleset
{
    /// <summary>
    /// The conntrack mark of a connection a table DNATed: bit 30 and 16 bits of the table's name, so agents sharing a
    /// machine (test runs, <c>--nodes</c>) each masquerade and reset only the connections their own rules made.
    /// </summary>
    public static string MarkOf(string table) =>
        $"0x{0x40000000u | ((uint)BitConverter.ToUInt16(SHA256.HashData(Encoding.UTF8.GetBytes(table)), 0) << 8):x8}";

    /// <summary>The bits <see cref="MarkOf"/> sets.</summary>
    public const string MarkMask = "0x40ffff00";

    private static readonly string[] BaseChains = ["prerouting", "output", "postrouting", "services", "filter-forward", "filter-output"];

    /// <summary>The chains and sets a ruleset declares beyond the fixed ones: what the next reconcile flushes or deletes.</summary>
    public sealed record Names(IReadOnlySet<string> Chains, IReadOnlySet<string> Sets);

    /// <summary>
    /// The script bringing <paramref name="table"/> from what <paramref name="previous"/> declared (null: unknown, so the
    /// table is replaced whole) to <paramref name="ports"/>; <paramref name="declared"/> is what it declares now.
    /// </summary>
    public static string Build(string table, IReadOnlyList<ProxiedPort> ports, Names? previous, out Names declared)
    {
        var t = $"ip {table}";
        var mark = MarkOf(table);
        var s = new StringBuilder();
        if (previous is null) s.AppendLine($"add table {t}").AppendLine($"delete table {t}");
        s.AppendLine($"add table {t}");
        s.AppendLine($"add chain {t} prerouting {{ type nat hook prerouting priority -100; policy accept; }}");
        s.AppendLine($"add chain {t} output {{ type nat hook output priority -100; policy accept; }}");
        s.AppendLine($"add chain {t} postrouting {{ type nat hook postrouting priority 100; policy accept; }}");
        s.AppendLine($"add chain {t} services");
        s.AppendLine($"add chain {t} filter-forward {{ type filter hook forward priority 0; policy accept; }}");
        s.AppendLine($"add chain {t} filter-output {{ type filter hook output priority 0; policy accept; }}");
        s.AppendLine($"add map {t} service-ips {{ type ipv4_addr . inet_service : verdict; }}");
        s.AppendLine($"add map {t} node-ports {{ type inet_service : verdict; }}");
        s.AppendLine($"add set {t} backends {{ type ipv4_addr . inet_service; }}");
        foreach (var chain in BaseChains.Concat(previous?.Chains ?? Enumerable.Empty<string>())) s.AppendLine($"flush chain {t} {chain}");
        s.AppendLine($"flush map {t} service-ips").AppendLine($"flush map {t} node-ports").AppendLine($"flush set {t} backends");

        s.AppendLine($"add rule {t} prerouting jump services");
        s.AppendLine($"add rule {t} output jump services");
        s.AppendLine($"add rule {t} services ip daddr . tcp dport vmap @service-ips");
        s.AppendLine($"add rule {t} services fib daddr type local tcp dport vmap @node-ports");
        // Masquerade only where the reply would miss the host otherwise: a connection from an address that is not the
        // host's (a pod: its backend may share its bridge and answer it directly, or be the pod itself) and a loopback
        // source. The host's own connections keep their source. Not `iifname`: with br_netfilter (Docker loads it), a
        // pod's connection DNATed back onto its own bridge is bridged, and bridged packets reach postrouting with no
        // input interface, so a pod reaching itself through its Service went unmasqueraded and saw its own address.
        s.AppendLine($"add rule {t} postrouting ct mark and {MarkMask} == {mark} fib saddr type != local masquerade");
        s.AppendLine($"add rule {t} postrouting ct mark and {MarkMask} == {mark} ip saddr 127.0.0.0/8 masquerade");
        foreach (var filter in new[] { "filter-forward", "filter-output" })
            s.AppendLine($"add rule {t} {filter} ct mark and {MarkMask} == {mark} ct direction original ip daddr . tcp dport != @backends reject with tcp reset");

        var chains = new HashSet<string>(StringComparer.Ordinal);
        var sets = new HashSet<string>(StringComparer.Ordinal);
        var serviceIps = new List<string>();
        var nodePorts = new List<string>();
        var backends = new HashSet<string>(StringComparer.Ordinal);
        foreach (var port in ports.Where(p => p.Backends.Count > 0).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var service = "svc-" + Hash(port.Key);
            chains.Add(service);
            s.AppendLine($"add chain {t} {service}");
            var endpoints = port.Backends.Select(b => (Backend: b, Chain: "ep-" + Hash($"{port.Key}|{b}"),
                Set: port.Affinity is null ? null : "aff-" + Hash($"{port.Key}|{b}|{Seconds(port.Affinity.Value)}"))).ToList();
            foreach (var (backend, chain, set) in endpoints)
            {
                chains.Add(chain);
                backends.Add($"{backend.Address} . {backend.Port}");
                s.AppendLine($"add chain {t} {chain}");
                if (set is not null)
                {
                    sets.Add(set);
                    s.AppendLine($"add set {t} {set} {{ type ipv4_addr; flags dynamic,timeout; timeout {Seconds(port.Affinity!.Value)}s; }}");
                    s.AppendLine($"add rule {t} {service} ip saddr @{set} goto {chain}");
                }
                s.AppendLine($"add rule {t} {chain} ct mark set ct mark and 0xbf0000ff or {mark}");
                if (set is not null) s.AppendLine($"add rule {t} {chain} update @{set} {{ ip saddr }}");
                s.AppendLine($"add rule {t} {chain} meta l4proto tcp dnat to {backend.Address}:{backend.Port}");
            }
            s.AppendLine(endpoints.Count == 1
                ? $"add rule {t} {service} goto {endpoints[0].Chain}"
                : $"add rule {t} {service} numgen random mod {endpoints.Count} vmap {{ {string.Join(", ", endpoints.Select((e, i) => $"{i} : goto {e.Chain}"))} }}");
            foreach (var front in port.Frontends)
            {
                if (front.Address.Equals(IPAddress.Any)) nodePorts.Add($"{front.Port} : goto {service}");
                else serviceIps.Add($"{front.Address} . {front.Port} : goto {service}");
            }
        }
        if (serviceIps.Count > 0) s.AppendLine($"add element {t} service-ips {{ {string.Join(", ", serviceIps.Distinct())} }}");
        if (nodePorts.Count > 0) s.AppendLine($"add element {t} node-ports {{ {string.Join(", ", nodePorts.Distinct())} }}");
        if (backends.Count > 0) s.AppendLine($"add element {t} backends {{ {string.Join(", ", backends.Order(StringComparer.Ordinal))} }}");
        // Gone last: nothing refers to them any more once the maps and the chains above are refilled.
        foreach (var chain in (previous?.Chains ?? Enumerable.Empty<string>()).Where(c => !chains.Contains(c)).Order(StringComparer.Ordinal))
            s.AppendLine($"delete chain {t} {chain}");
        foreach (var set in (previous?.Sets ?? Enumerable.Empty<string>()).Where(x => !sets.Contains(x)).Order(StringComparer.Ordinal))
            s.AppendLine($"delete set {t} {set}");
        declared = new Names(chains, sets);
        return s.ToString();
    }

    /// <summary>Removes the table, whether or not it exists.</summary>
    public static string Delete(string table) => $"add table ip {table}\ndelete table ip {table}\n";

    private static string Seconds(TimeSpan t) => ((long)Math.Max(1, Math.Ceiling(t.TotalSeconds))).ToString(CultureInfo.InvariantCulture);

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
}
