using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;

namespace Platform.ControllerManager;

/// <summary>Reports every invalid <c>ControllerManager:*</c> setting at start, naming the key.</summary>
internal sealed class ControllerManagerOptionsValidator : IValidateOptions<ControllerManagerOptions>
{
    public ValidateOptionsResult Validate(string? name, ControllerManagerOptions o)
    {
        var errors = new List<string>();
        if (!ApiServerEndpoints.TryParse(o.ApiServerUrl, out _, out var urlError)) errors.Add($"ControllerManager:ApiServerUrl: {urlError}");
        if (string.IsNullOrWhiteSpace(o.Token)) errors.Add("ControllerManager:Token: required (or env PLATFORM_CONTROLLER_TOKEN / PLATFORM_ADMIN_TOKEN)");
        if (o.EurekaUrl is { Length: > 0 } e && !Platform.Discovery.Client.Transport.EurekaServers.TryParse(e, out _, out var eurekaError))
            errors.Add($"ControllerManager:EurekaUrl: {eurekaError}");
        if (string.IsNullOrWhiteSpace(o.GroupId)) errors.Add("ControllerManager:GroupId: required");
        if (o.Workers is < 1 or > 64) errors.Add("ControllerManager:Workers: must be 1-64");
        if (o.ResyncPeriod < TimeSpan.FromSeconds(1)) errors.Add("ControllerManager:ResyncPeriod: must be >= 1s");
        if (o.NodeMonitorPeriod < TimeSpan.FromMilliseconds(100)) errors.Add("ControllerManager:NodeMonitorPeriod: must be >= 100ms");
        if (o.NodeMonitorGracePeriod < o.NodeMonitorPeriod) errors.Add("ControllerManager:NodeMonitorGracePeriod: must be >= NodeMonitorPeriod");
        if (o.PodEvictionTimeout < TimeSpan.Zero) errors.Add("ControllerManager:PodEvictionTimeout: must be >= 0");
        if (o.MaxEndpointsPerSlice is < 1 or > 1000) errors.Add("ControllerManager:MaxEndpointsPerSlice: must be 1-1000");
        if (o.JobBackoffBase <= TimeSpan.Zero || o.JobBackoffBase > TimeSpan.FromMinutes(6)) errors.Add("ControllerManager:JobBackoffBase: must be > 0 and at most 6 minutes");
        if (o.HorizontalPodAutoscalerSyncPeriod < TimeSpan.FromMilliseconds(100)) errors.Add("ControllerManager:HorizontalPodAutoscalerSyncPeriod: must be >= 100ms");
        if (o.ConnectUrl is { Length: > 0 } c && !(Uri.TryCreate(c, UriKind.Absolute, out var connect) && connect.Scheme is "http" or "https"))
            errors.Add("ControllerManager:ConnectUrl: not an absolute http(s) URL");
        if (o.KafkaConnectorStatusPeriod < TimeSpan.FromMilliseconds(100)) errors.Add("ControllerManager:KafkaConnectorStatusPeriod: must be >= 100ms");
        ValidateNodeIpam(o, errors);
        var le = o.LeaderElection;
        if (le.Enabled)
        {
            if (string.IsNullOrWhiteSpace(le.LeaseName) || le.LeaseName.Length > 253) errors.Add("ControllerManager:LeaderElection:LeaseName: required, at most 253 characters");
            if (string.IsNullOrWhiteSpace(le.LeaseNamespace)) errors.Add("ControllerManager:LeaderElection:LeaseNamespace: required");
            if (string.IsNullOrWhiteSpace(le.Identity) || le.Identity.Length > 253) errors.Add("ControllerManager:LeaderElection:Identity: required, at most 253 characters");
            if (le.LeaseDuration < TimeSpan.FromSeconds(1) || le.LeaseDuration.Ticks % TimeSpan.TicksPerSecond != 0)
                errors.Add("ControllerManager:LeaderElection:LeaseDuration: must be whole seconds, >= 1s");
            if (le.RenewDeadline >= le.LeaseDuration) errors.Add("ControllerManager:LeaderElection:RenewDeadline: must be shorter than LeaseDuration");
            // client-go's rule: the renew deadline must leave room for a jittered retry.
            if (le.RetryPeriod < TimeSpan.FromMilliseconds(100) || le.RenewDeadline <= le.RetryPeriod * 1.2)
                errors.Add("ControllerManager:LeaderElection:RetryPeriod: must be >= 100ms and RenewDeadline must exceed 1.2 x RetryPeriod");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateNodeIpam(ControllerManagerOptions o, List<string> errors)
    {
        if (!System.Net.IPNetwork.TryParse(o.ClusterCidr, out var cluster) || cluster.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || cluster.ToString() != o.ClusterCidr)
            errors.Add($"ControllerManager:ClusterCidr: '{o.ClusterCidr}' is not an IPv4 CIDR with zero host bits (e.g. 10.244.0.0/16)");
        else if (o.NodeCidrMaskSize < cluster.PrefixLength || o.NodeCidrMaskSize > 30 || o.NodeCidrMaskSize - cluster.PrefixLength > 24)
            errors.Add($"ControllerManager:NodeCidrMaskSize: {o.NodeCidrMaskSize} must be between the cluster prefix /{cluster.PrefixLength} and 30, at most 24 bits longer");
    }
}
