using System.Globalization;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>Baseline: host ports are forbidden (<c>hostPort</c> unset or 0).</summary>
internal static class HostPortsCheck
{
    public static PodCheck Definition { get; } = new("hostPorts", Level.Baseline, [new(0, V1_0)]);

    private static CheckResult? V1_0(ObjectMeta? meta, PodSpec spec)
    {
        var containers = new List<string>();
        var ports = new List<string>();
        foreach (var c in CheckText.AllContainers(spec))
        {
            var used = (c.Ports ?? []).Where(p => p?.HostPort is not (null or 0)).Select(p => p.HostPort!.Value.ToString(CultureInfo.InvariantCulture)).ToList();
            if (used.Count == 0) continue;
            containers.Add(c.Name!);
            ports.AddRange(used);
        }
        if (containers.Count == 0) return null;
        var sorted = CheckText.Sorted(ports);
        return new CheckResult("hostPort",
            $"{CheckText.Containers(containers)} {CheckText.Pluralize("uses", "use", containers.Count)} {CheckText.Pluralize("hostPort", "hostPorts", sorted.Count)} {string.Join(", ", sorted)}");
    }
}
