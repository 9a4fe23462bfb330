using System.Globalization;
using Platform.Contracts.Resources;

namespace Platform.NodeAgent.Pods;

/// <summary>
/// The variables kubelet gives a container for the Services that exist when it starts: <c>DB_SERVICE_SERVICE_HOST</c>,
/// <c>_SERVICE_PORT</c>, <c>_SERVICE_PORT_{NAME}</c> and the docker-link style <c>DB_SERVICE_PORT_3306_TCP_ADDR</c> family.
/// </summary>
internal static class ServiceEnv
{
    /// <summary>The Services of the default namespace every pod sees, even with <c>enableServiceLinks: false</c>.</summary>
    public static readonly string[] MasterServices = ["kubernetes"];

    /// <summary>
    /// The Services a pod in <paramref name="ns"/> is told about: its namespace's (when links are enabled) and the master
    /// services of <c>default</c>, a namespace's own Service winning over a master service of the same name.
    /// </summary>
    public static IReadOnlyList<Service> Visible(IEnumerable<Service> services, string ns, bool enableServiceLinks)
    {
        var byName = new SortedDictionary<string, Service>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            if (!HasClusterIP(service)) continue;
            var name = service.Metadata.Name!;
            if (service.Metadata.Namespace == "default" && MasterServices.Contains(name))
                byName.TryAdd(name, service);
            else if (service.Metadata.Namespace == ns && enableServiceLinks)
                byName[name] = service;
        }
        return [.. byName.Values];
    }

    /// <summary>The variables of each Service, in kubelet's order.</summary>
    public static IEnumerable<KeyValuePair<string, string>> For(IEnumerable<Service> services)
    {
        foreach (var service in services)
        {
            var ports = service.Spec.Ports ?? [];
            if (!HasClusterIP(service) || ports.Count == 0) continue;
            var ip = service.Spec.ClusterIP!;
            var prefix = VariableName(service.Metadata.Name!);
            yield return new(prefix + "_SERVICE_HOST", ip);
            yield return new(prefix + "_SERVICE_PORT", Number(ports[0].Port));
            foreach (var port in ports.Where(p => p.Name is { Length: > 0 }))
                yield return new($"{prefix}_SERVICE_PORT_{VariableName(port.Name!)}", Number(port.Port));
            for (var i = 0; i < ports.Count; i++)
            {
                var protocol = ports[i].Protocol is { Length: > 0 } p ? p : "TCP";
                var url = $"{protocol.ToLowerInvariant()}://{HostPort(ip, ports[i].Port)}";
                if (i == 0) yield return new(prefix + "_PORT", url);
                var portPrefix = $"{prefix}_PORT_{Number(ports[i].Port)}_{protocol.ToUpperInvariant()}";
                yield return new(portPrefix, url);
                yield return new(portPrefix + "_PROTO", protocol.ToLowerInvariant());
                yield return new(portPrefix + "_PORT", Number(ports[i].Port));
                yield return new(portPrefix + "_ADDR", ip);
            }
        }
    }

    private static bool HasClusterIP(Service s) => s.Spec.ClusterIP is { Length: > 0 } ip && ip != "None";

    private static string VariableName(string name) => name.Replace('-', '_').ToUpperInvariant();

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string HostPort(string ip, int port) => ip.Contains(':') ? $"[{ip}]:{Number(port)}" : $"{ip}:{Number(port)}";
}
