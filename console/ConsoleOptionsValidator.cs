using Platform.ApiServer.Client;
using Microsoft.Extensions.Options;

namespace Platform.Console;

/// <summary>Reports every wrong <c>Console:*</c> key at start, each by name.</summary>
internal sealed class ConsoleOptionsValidator : IValidateOptions<ConsoleOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsoleOptions o)
    {
        var errors = new List<string>();
        if (!ApiServerEndpoints.TryParse(o.ApiServerUrl, out _, out var apiError))
            errors.Add($"Console:ApiServerUrl: {apiError}");
        if (!string.IsNullOrEmpty(o.CaFile) && !File.Exists(o.CaFile)) errors.Add($"Console:CaFile: '{o.CaFile}' does not exist");
        if (string.IsNullOrWhiteSpace(o.TopicPrefix)) errors.Add("Console:TopicPrefix: required");
        if (o.EventBuffer is < 0 or > 100_000) errors.Add($"Console:EventBuffer: must be 0..100000, got {o.EventBuffer}");
        if (o.AccessCacheSeconds is < 0 or > 3600) errors.Add($"Console:AccessCacheSeconds: must be 0..3600, got {o.AccessCacheSeconds}");
        if (!string.IsNullOrEmpty(o.EurekaUrl) && (!Uri.TryCreate(o.EurekaUrl, UriKind.Absolute, out var eureka) || eureka.Scheme is not ("http" or "https")))
            errors.Add($"Console:EurekaUrl: an absolute http(s) URL is required, got '{o.EurekaUrl}'");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
