using System.Text.Json;
using Platform.Contracts.Resources;

namespace Platform.Scheduler.Framework;

/// <summary>
/// A pod with everything the plugins need parsed once: resource requests, host ports, affinity terms, spread
/// constraints. Parsing per pod instead of per node is what keeps a cycle cheap at thousands of nodes.
/// </summary>
internal sealed class PodInfo
{
    private static readonly Dictionary<string, string> NoLabels = new(StringComparer.Ordinal);

    public PodInfo(Pod pod)
    {
        Pod = pod;
        Namespace = pod.Metadata.Namespace ?? "";
        Name = pod.Metadata.Name ?? "";
        Key = Namespace + "/" + Name;
        Labels = pod.Metadata.Labels ?? NoLabels;
        Priority = pod.Spec.Priority ?? 0;
        Requests = PodRequests.Of(pod.Spec);
        var ports = new List<HostPort>();
        var wanted = 0;
        // A pod on the pod network listens on its own IP, so only its hostPorts take node ports; a hostNetwork pod
        // shares the node's ports and the agent allocates one for each containerPort without a hostPort.
        var hostNetwork = pod.Spec.HostNetwork == true;
        foreach (var c in pod.Spec.Containers)
            foreach (var p in c.Ports ?? [])
            {
                if (p.HostPort is int hp && hp > 0) ports.Add(new HostPort(p.Protocol ?? "TCP", hp));
                else if (hostNetwork) wanted++;
            }
        foreach (var (_, port) in pod.Status?.AllocatedPorts ?? []) ports.Add(new HostPort("TCP", port));
        HostPorts = ports;
        // Ports the node agent still has to allocate: only while the pod holds no allocation yet.
        AllocatedPortsWanted = pod.Status?.AllocatedPorts is { Count: > 0 } ? 0 : wanted;
        AllocatedPortsHeld = pod.Status?.AllocatedPorts?.Count ?? 0;

        var a = pod.Spec.Affinity;
        RequiredAffinity = Terms(a?.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution);
        RequiredAntiAffinity = Terms(a?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution);
        PreferredAffinity = Weighted(a?.PodAffinity?.PreferredDuringSchedulingIgnoredDuringExecution);
        PreferredAntiAffinity = Weighted(a?.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution);
        Spread = pod.Spec.TopologySpreadConstraints?.Select(SpreadConstraint.From).ToList() ?? [];
        RequiredNodeSelector = new RequiredNodeSelector(pod.Spec);
        LabelPairs = Labels.Select(kv => kv.Key + "=" + kv.Value).ToArray();
    }

    public Pod Pod { get; }
    public string Namespace { get; }
    public string Name { get; }
    /// <summary><c>namespace/name</c>, the Kafka key of the pod.</summary>
    public string Key { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }
    /// <summary>The labels as <c>key=value</c> strings: the keys of the cache's label indexes, built once.</summary>
    public IReadOnlyList<string> LabelPairs { get; }
    public int Priority { get; }
    public ResourceVector Requests { get; }
    /// <summary>Host ports this pod holds or asks for: <c>hostPort</c>s and the ports the node agent allocated.</summary>
    public IReadOnlyList<HostPort> HostPorts { get; }
    /// <summary>Container ports of a hostNetwork pod without a hostPort: the node agent allocates them from the node's range.</summary>
    public int AllocatedPortsWanted { get; }
    public int AllocatedPortsHeld { get; }
    public IReadOnlyList<AffinityTerm> RequiredAffinity { get; }
    public IReadOnlyList<AffinityTerm> RequiredAntiAffinity { get; }
    public IReadOnlyList<AffinityTerm> PreferredAffinity { get; }
    public IReadOnlyList<AffinityTerm> PreferredAntiAffinity { get; }
    public IReadOnlyList<SpreadConstraint> Spread { get; }
    /// <summary><c>nodeSelector</c> and required node affinity, compiled.</summary>
    public RequiredNodeSelector RequiredNodeSelector { get; }

    /// <summary>The node the pod is bound or assumed on, set by the cache.</summary>
    public string? NodeName { get; set; }

    public bool HasAffinityTerms => RequiredAffinity.Count + RequiredAntiAffinity.Count + PreferredAffinity.Count + PreferredAntiAffinity.Count > 0;

    /// <summary>What scheduling depends on (spec and labels, not status): an update that keeps it cannot make the pod fit.</summary>
    public string SchedulingSignature => _signature ??= JsonSerializer.Serialize(new { Pod.Spec, Pod.Metadata.Labels }, ResourceJson.Options);
    private string? _signature;

    private List<AffinityTerm> Terms(List<PodAffinityTerm>? terms) =>
        terms?.Select(t => AffinityTerm.From(t, Namespace, 1)).ToList() ?? [];

    private List<AffinityTerm> Weighted(List<WeightedPodAffinityTerm>? terms) =>
        terms?.Select(t => AffinityTerm.From(t.PodAffinityTerm, Namespace, t.Weight)).ToList() ?? [];

    public override string ToString() => Key;
}
