using System.Globalization;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.NodeAgent.Registration;

namespace Platform.NodeAgent;

/// <summary>Reports every invalid <c>NodeAgent:*</c> setting at start, naming the key.</summary>
internal sealed class NodeAgentOptionsValidator : IValidateOptions<NodeAgentOptions>
{
    public ValidateOptionsResult Validate(string? name, NodeAgentOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.NodeName) || o.NodeName.Length > 63 || !o.NodeName.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.'))
            errors.Add($"NodeAgent:NodeName: '{o.NodeName}' must be 1-63 lower-case letters, digits, '-' or '.'");
        if (!ApiServerEndpoints.TryParse(o.ApiServerUrl, out _, out var urlError)) errors.Add($"NodeAgent:ApiServerUrl: {urlError}");
        if (string.IsNullOrWhiteSpace(o.Token)) errors.Add("NodeAgent:Token: required (or env PLATFORM_NODE_TOKEN / PLATFORM_ADMIN_TOKEN)");
        var parts = o.PortRange.Split('-', 2);
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last) || first < 1024 || last > 65535 || first > last)
            errors.Add($"NodeAgent:PortRange: '{o.PortRange}' must be 'first-last' within 1024-65535");
        if (o.HeartbeatInterval < TimeSpan.FromMilliseconds(100)) errors.Add("NodeAgent:HeartbeatInterval: must be >= 100ms");
        if (o.StatusReportInterval < o.HeartbeatInterval) errors.Add("NodeAgent:StatusReportInterval: must be >= NodeAgent:HeartbeatInterval");
        if (o.LeaseDurationSeconds < 1 || TimeSpan.FromSeconds(o.LeaseDurationSeconds) <= o.HeartbeatInterval)
            errors.Add("NodeAgent:LeaseDurationSeconds: must be >= 1 and longer than NodeAgent:HeartbeatInterval");
        if (o.SyncInterval < TimeSpan.FromMilliseconds(50)) errors.Add("NodeAgent:SyncInterval: must be >= 50ms");
        if (o.StreamingConnectionIdleTimeout < TimeSpan.FromSeconds(1)) errors.Add("NodeAgent:StreamingConnectionIdleTimeout: must be >= 1s");
        if (o.BackOffInitial <= TimeSpan.Zero || o.BackOffMax < o.BackOffInitial) errors.Add("NodeAgent:BackOffInitial/BackOffMax: must be > 0 and max >= initial");
        if (o.StaticPodRescanInterval < TimeSpan.FromMilliseconds(100)) errors.Add("NodeAgent:StaticPodRescanInterval: must be >= 100ms");
        if (o.MaxPods < 1) errors.Add("NodeAgent:MaxPods: must be >= 1");
        if (string.IsNullOrWhiteSpace(o.PodNetwork.PauseImage)) errors.Add("NodeAgent:PodNetwork:PauseImage: required");
        if (o.PodNetwork.PodCidr is { Length: > 0 } cidr && (!System.Net.IPNetwork.TryParse(cidr, out var net)
                || net.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || net.PrefixLength > 30 || net.ToString() != cidr))
            errors.Add($"NodeAgent:PodNetwork:PodCidr: '{cidr}' must be an IPv4 CIDR of /30 or wider with zero host bits (e.g. 10.244.0.0/24)");
        if (o.Proxy.Mode is not (Proxy.ProxyOptions.Userspace or Proxy.ProxyOptions.Nftables))
            errors.Add($"NodeAgent:Proxy:Mode: '{o.Proxy.Mode}' is not supported (userspace, nftables)");
        if (o.Proxy.MaxConnectionsPerListener < 1) errors.Add("NodeAgent:Proxy:MaxConnectionsPerListener: must be >= 1");
        if (o.Proxy.ConnectTimeout <= TimeSpan.Zero) errors.Add("NodeAgent:Proxy:ConnectTimeout: must be > 0");
        if (o.Proxy.ResyncInterval < TimeSpan.FromSeconds(1)) errors.Add("NodeAgent:Proxy:ResyncInterval: must be >= 1s");
        if (o.Metrics.Interval < TimeSpan.FromMilliseconds(500)) errors.Add("NodeAgent:Metrics:Interval: must be >= 500ms");
        foreach (var t in o.Taints)
            if (!NodeRegistrar.TryParseTaint(t, out _)) errors.Add($"NodeAgent:Taints: '{t}' must be key[=value]:NoSchedule|PreferNoSchedule|NoExecute");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
