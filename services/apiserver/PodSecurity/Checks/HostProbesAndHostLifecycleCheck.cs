using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>
/// Baseline from 1.34: probes may not name a <c>host</c> (an httpGet or tcpSocket probe aimed elsewhere makes the node
/// agent a proxy into other hosts). Lifecycle handlers, which Kubernetes checks too, are not part of this platform's pods.
/// </summary>
internal static class HostProbesAndHostLifecycleCheck
{
    public static PodCheck Definition { get; } = new("hostProbesAndHostLifecycle", Level.Baseline, [new(34, V1_34)]);

    private static CheckResult? V1_34(ObjectMeta? meta, PodSpec spec)
    {
        var containers = new List<string>();
        var hosts = new List<string>();
        foreach (var c in CheckText.AllContainers(spec))
        {
            var found = new[] { c.LivenessProbe, c.ReadinessProbe, c.StartupProbe }
                .SelectMany(p => new[] { p?.HttpGet?.Host, p?.TcpSocket?.Host })
                .Where(h => !string.IsNullOrEmpty(h)).Select(h => h!).ToList();
            if (found.Count == 0) continue;
            containers.Add(c.Name!);
            hosts.AddRange(found);
        }
        var names = CheckText.Sorted(containers);
        var sorted = CheckText.Sorted(hosts);
        return names.Count == 0 ? null : new CheckResult("probe or lifecycle host",
            $"{CheckText.Containers(names)} {CheckText.Pluralize("uses", "use", names.Count)} {CheckText.Pluralize("probe or lifecycle host", "probe or lifecycle hosts", sorted.Count)} {CheckText.JoinQuote(sorted)}");
    }
}
