using Platform.Contracts.Resources.GatewayApi;
using GatewayObject = Platform.Contracts.Resources.GatewayApi.Gateway;

namespace Platform.Gateway.GatewayApi.Listeners;

/// <summary>
/// A Gateway's listeners that are not distinct, as Gateway API defines it: HTTP and HTTPS listeners served on one local
/// port with different protocols (<c>ProtocolConflict</c>), or with the same protocol and hostname (<c>HostnameConflict</c>).
/// None of them is accepted (Gateway API forbids picking a winner) and their ports are not bound.
/// </summary>
internal static class ListenerConflicts
{
    /// <summary>Per conflicted listener: the <c>Conflicted</c> reason and a message naming the listeners it conflicts with.</summary>
    public static Dictionary<string, (string Reason, string Message)> Of(GatewayObject gw, Func<int, ListenerTarget> target)
    {
        var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        var served = (gw.Spec.Listeners ?? []).Where(l => l.Protocol is "HTTP" or "HTTPS" && l.Port is not null);
        foreach (var group in served.GroupBy(l => target(l.Port!.Value)).Where(g => g.Count() > 1))
        {
            var shared = group.ToList();
            var ports = shared.Select(l => l.Port!.Value).Distinct().Order().ToList();
            var where = ports.Count == 1 ? $"port {ports[0]}" : $"ports {string.Join(" and ", ports)} (served on one local port)";
            if (shared.Select(l => l.Protocol).Distinct().Count() > 1)
            {
                var message = $"listeners {Names(shared)} share {where} with protocols {string.Join(" and ", shared.Select(l => l.Protocol).Distinct())}";
                foreach (var l in shared) result[l.Name ?? ""] = (GatewayApiNames.ProtocolConflict, message);
                continue;
            }
            foreach (var same in shared.GroupBy(l => (l.Hostname ?? "").ToLowerInvariant()).Where(g => g.Count() > 1))
            {
                var host = same.Key.Length == 0 ? "no hostname" : $"hostname \"{same.Key}\"";
                var message = $"listeners {Names(same)} share {where}, protocol {same.First().Protocol} and {host}";
                foreach (var l in same) result[l.Name ?? ""] = (GatewayApiNames.HostnameConflict, message);
            }
        }
        return result;
    }

    private static string Names(IEnumerable<Listener> listeners) => string.Join(", ", listeners.Select(l => $"\"{l.Name}\""));
}
