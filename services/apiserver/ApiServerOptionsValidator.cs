using Microsoft.Extensions.Options;
using Platform.ApiServer.Secrets;

namespace Platform.ApiServer;

/// <summary>Reports every invalid <c>ApiServer:*</c> setting by its configuration key.</summary>
internal sealed class ApiServerOptionsValidator : IValidateOptions<ApiServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiServerOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.StateDirectory)) errors.Add("ApiServer:StateDirectory: required");
        if (o.AdminToken is { Length: > 0 and < 16 }) errors.Add("ApiServer:AdminToken: must be at least 16 characters");
        for (var i = 0; i < o.EncryptionKeys.Count; i++)
            if (!EncryptionKey.TryParse(o.EncryptionKeys[i], out _, out var why)) errors.Add($"ApiServer:EncryptionKeys:{i}: {why}");
        if (o.MaxBodyBytes is < 1024 or > 64 * 1024 * 1024) errors.Add("ApiServer:MaxBodyBytes: must be between 1024 and 67108864");
        if (o.WatchHistoryRetention <= TimeSpan.Zero) errors.Add("ApiServer:WatchHistoryRetention: must be > 0");
        if (o.WatchBookmarkInterval < TimeSpan.FromSeconds(1)) errors.Add("ApiServer:WatchBookmarkInterval: must be at least 00:00:01");
        if (string.IsNullOrEmpty(o.TopicPrefix) || o.TopicPrefix.Length > 100 || !o.TopicPrefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            errors.Add("ApiServer:TopicPrefix: must be 1-100 letters, digits, '.', '_' or '-'");
        if (string.IsNullOrWhiteSpace(o.EventSource)) errors.Add("ApiServer:EventSource: required");
        if (!ServiceAllocation.ServiceIpRange.TryParse(o.ServiceClusterIpRange, out _, out var ipWhy)) errors.Add($"ApiServer:ServiceClusterIpRange: {ipWhy}");
        if (o.AdvertiseAddress is { Length: > 0 } advertise && !System.Net.IPAddress.TryParse(advertise, out _)) errors.Add($"ApiServer:AdvertiseAddress: \"{advertise}\" is not an IP address");
        if (o.AdvertisePort is < 1 or > 65535) errors.Add($"ApiServer:AdvertisePort: {o.AdvertisePort} is not a port (1-65535)");
        if (o.EndpointReconcileInterval < TimeSpan.FromMilliseconds(100)) errors.Add("ApiServer:EndpointReconcileInterval: must be >= 100ms");
        if (o.EndpointLeaseTtl <= o.EndpointReconcileInterval) errors.Add("ApiServer:EndpointLeaseTtl: must be longer than EndpointReconcileInterval");
        if (!ServiceAllocation.NodePortRange.TryParse(o.ServiceNodePortRange, out _, out var portWhy)) errors.Add($"ApiServer:ServiceNodePortRange: {portWhy}");
        Auth.Oidc.OidcOptionsValidation.Validate(o, errors);
        if (o.GroupCommit.MaxWrites is < 1 or > 256) errors.Add($"ApiServer:GroupCommit:MaxWrites: {o.GroupCommit.MaxWrites} must be between 1 and 256");
        if (o.GroupCommit.MaxBytes is < 64 * 1024 or > 64 * 1024 * 1024) errors.Add($"ApiServer:GroupCommit:MaxBytes: {o.GroupCommit.MaxBytes} must be between 65536 and 67108864");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
