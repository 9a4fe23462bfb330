using System.Net;
using Platform.ClusterDns;
using Platform.Contracts.Resources;

namespace Platform.NodeAgent.Pods;

/// <summary>
/// A pod's <c>/etc/resolv.conf</c> as kubelet writes it (<see cref="PodResolvConf"/>): for a pod on the pod network with
/// <c>dnsPolicy: ClusterFirst</c>, the node's cluster DNS and the search path <c>NS.svc.cluster.local svc.cluster.local
/// cluster.local</c>, so <c>db-service</c>, <c>db-service.dev</c> and the full name all resolve (seed 001). The file
/// lives beside the pod's volumes and is bind-mounted read-only into each container.
/// </summary>
internal static class PodDns
{
    public const string MountPath = "/etc/resolv.conf";

    /// <summary>
    /// The bind of the pod's resolv.conf, or null when Docker's own (the node's) is right for it: only for a pod on the
    /// host network, since a pod's sandbox has no Docker network and so no file from Docker (<paramref name="ownNetwork"/>).
    /// Such a pod's copy of the node's resolver leaves out loopback nameservers, which its own loopback cannot reach.
    /// </summary>
    public static async Task<string?> BindAsync(Pod pod, string? nameserver, bool ownNetwork, ClusterDnsOptions dns, NodeAgentOptions options, CancellationToken ct)
    {
        var policy = pod.Spec.DnsPolicy ?? "ClusterFirst";
        var clusterFirst = policy == "ClusterFirstWithHostNet" || policy == "ClusterFirst" && pod.Spec.HostNetwork != true;
        if (!ownNetwork && policy != "None" && pod.Spec.DnsConfig is null && (!clusterFirst || nameserver is null)) return null;
        var node = File.Exists(dns.ResolvConfPath) ? PodResolvConf.Parse(await File.ReadAllTextAsync(dns.ResolvConfPath, ct)) : new PodResolvConf([], [], []);
        if (ownNetwork) node = node with { Nameservers = node.Nameservers.Where(n => !IPAddress.TryParse(n, out var ip) || !IPAddress.IsLoopback(ip)).ToList() };
        var spec = clusterFirst && nameserver is null ? pod.Spec with { DnsPolicy = "Default" } : pod.Spec;
        var conf = PodResolvConf.For(spec, pod.Metadata.Namespace!, nameserver ?? "", node, dns);
        var dir = Path.Combine(options.StateDirectory, "pods", pod.Metadata.Uid!);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "resolv.conf");
        await File.WriteAllTextAsync(path, conf.ToString(), ct);
        return $"{path}:{MountPath}:ro";
    }
}
