using System.Text;
using Platform.ClusterDns;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Network;

namespace Platform.NodeAgent.Pods;

/// <summary>
/// A pod's <c>/etc/hosts</c> as kubelet manages it. A pod with a network of its own gets localhost, its own address
/// under its host name (<c>web-0.nginx.NS.svc.cluster.local web-0</c> with a subdomain) and its <c>hostAliases</c>; a
/// pod on the host network gets the node's file plus its <c>hostAliases</c>, and none of ours without them. Written
/// once per pod beside its volumes (as kubelet, so what a container appends survives its restarts) and bind-mounted
/// read-write into each container.
/// </summary>
internal static class PodHosts
{
    public const string MountPath = "/etc/hosts";
    /// <summary>The node's file, read for host-network pods with aliases.</summary>
    private const string NodeHostsPath = "/etc/hosts";

    /// <summary>The bind of the pod's hosts file, or null when Docker's (the node's) is right for it.</summary>
    public static async Task<string?> BindAsync(Pod pod, string? podIp, ClusterDnsOptions dns, NodeAgentOptions options, CancellationToken ct)
    {
        var aliases = pod.Spec.HostAliases ?? [];
        if (podIp is null && aliases.Count == 0) return null;
        var dir = Path.Combine(options.StateDirectory, "pods", pod.Metadata.Uid!);
        var path = Path.Combine(dir, "hosts");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(dir);
            var content = podIp is null
                ? HostNetworkContent(File.Exists(NodeHostsPath) ? await File.ReadAllTextAsync(NodeHostsPath, ct) : "", aliases)
                : ManagedContent(podIp, PodNetwork.PodHostname(pod), DomainOf(pod, dns), aliases);
            var temp = path + ".tmp";
            await File.WriteAllTextAsync(temp, content, ct);
            File.Move(temp, path, overwrite: true);
        }
        return $"{path}:{MountPath}";
    }

    /// <summary>kubelet's managedHostsFileContent.</summary>
    internal static string ManagedContent(string podIp, string hostname, string? domain, IEnumerable<HostAlias> aliases)
    {
        var b = new StringBuilder("# Kubernetes-managed hosts file.\n")
            .Append("127.0.0.1\tlocalhost\n")
            .Append("::1\tlocalhost ip6-localhost ip6-loopback\n")
            .Append("fe00::0\tip6-localnet\n")
            .Append("fe00::0\tip6-mcastprefix\n")
            .Append("fe00::1\tip6-allnodes\n")
            .Append("fe00::2\tip6-allrouters\n");
        b.Append(domain is null ? $"{podIp}\t{hostname}\n" : $"{podIp}\t{hostname}.{domain}\t{hostname}\n");
        return b.Append(AliasLines(aliases)).ToString();
    }

    /// <summary>kubelet's nodeHostsFileContent: the node's file, then the aliases.</summary>
    internal static string HostNetworkContent(string nodeHosts, IEnumerable<HostAlias> aliases)
    {
        var b = new StringBuilder("# Kubernetes-managed hosts file (host network).\n").Append(nodeHosts);
        if (nodeHosts.Length > 0 && !nodeHosts.EndsWith('\n')) b.Append('\n');
        return b.Append(AliasLines(aliases)).ToString();
    }

    private static string AliasLines(IEnumerable<HostAlias> aliases)
    {
        var lines = aliases.Where(a => a?.Ip is { Length: > 0 } && a.Hostnames is { Count: > 0 })
            .Select(a => $"{a.Ip}\t{string.Join('\t', a.Hostnames!)}\n").ToList();
        return lines.Count == 0 ? "" : "\n# Entries added by HostAliases.\n" + string.Concat(lines);
    }

    /// <summary><c>SUBDOMAIN.NS.svc.ZONE</c> for a pod with a subdomain, as its DNS record is named.</summary>
    private static string? DomainOf(Pod pod, ClusterDnsOptions dns) =>
        pod.Spec.Subdomain is { Length: > 0 } sub ? $"{sub}.{pod.Metadata.Namespace}.svc.{dns.ClusterDomain.TrimEnd('.')}" : null;
}
