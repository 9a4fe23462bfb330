using Microsoft.Extensions.Options;

namespace Platform.ApiServer.Api;

/// <summary>Reports every invalid <c>ApiServer:Kubelet:*</c> setting at start, naming the key.</summary>
internal sealed class KubeletClientOptionsValidator : IValidateOptions<KubeletClientOptions>
{
    private static readonly TimeSpan Max = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, KubeletClientOptions o)
    {
        var errors = new List<string>();
        if (o.ConnectTimeout <= TimeSpan.Zero || o.ConnectTimeout > Max) errors.Add($"{KubeletClientOptions.Section}:ConnectTimeout: '{o.ConnectTimeout}' must be > 0 and <= 00:10:00");
        if (o.ResponseTimeout <= TimeSpan.Zero || o.ResponseTimeout > Max) errors.Add($"{KubeletClientOptions.Section}:ResponseTimeout: '{o.ResponseTimeout}' must be > 0 and <= 00:10:00");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
