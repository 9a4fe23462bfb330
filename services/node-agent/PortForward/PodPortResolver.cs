using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Pods;
using Platform.NodeAgent.Runtime;

namespace Platform.NodeAgent.PortForward;

/// <summary>
/// Finds a pod's running containers in Docker (by the labels the agent puts on them) and maps its declared container
/// ports to the host ports recorded on them (<see cref="ContainerLabels.Ports"/>), or for a pod on the pod network to
/// the same ports at its IP (<see cref="ContainerLabels.PodIp"/>); port names come from the pod's spec
/// in the agent's pod informer, the same cache the pod workers run from.
/// </summary>
internal sealed class PodPortResolver(DockerClient docker, SharedInformerFactory informers, IOptions<NodeAgentOptions> options)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The pod's target, or null when none of its containers runs on this node.</summary>
    public async Task<PortForwardTarget?> FindAsync(string ns, string pod, string? podUid, CancellationToken ct)
    {
        var o = options.Value;
        var running = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = false,
            Filters = ContainerLabels.PodFilter(o.NodeName, ns, pod, podUid),
        }, ct);
        var containers = running.Where(c => !(c.Labels.TryGetValue(ContainerLabels.Sandbox, out var sandbox) && sandbox == "true")).ToList();
        if (containers.Count == 0) return null;
        var newest = containers.OrderByDescending(c => c.Created).First();
        var allocated = newest.Labels.TryGetValue(ContainerLabels.Ports, out var json) ? JsonSerializer.Deserialize<Dictionary<string, int>>(json) ?? [] : [];
        var spec = (informers.Find(ResourceKinds.Pod.Plural) as Informer<Pod>)?.Get(ns, pod);
        var hostPorts = new Dictionary<int, int>();
        foreach (var declared in spec?.Spec.Containers.SelectMany(c => c.Ports ?? []) ?? [])
            if (declared.Protocol is null or "TCP" && allocated.TryGetValue(ContainerEnv.PortKey(declared), out var host))
                hostPorts.TryAdd(declared.Port, host);
        // Without the spec (not in the cache yet), an unnamed port's key is its number.
        foreach (var (key, host) in allocated)
            if (int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number > 0)
                hostPorts.TryAdd(number, host);
        // On the pod network the ports are the container's own, at the pod's IP.
        var address = newest.Labels.TryGetValue(ContainerLabels.PodIp, out var podIp) ? podIp : o.Address;
        return new PortForwardTarget(pod, newest.Labels[ContainerLabels.PodUid], address, hostPorts, ConnectTimeout);
    }
}
