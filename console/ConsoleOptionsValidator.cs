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
        if (o.PodsPerPage is < 1 or > 1000) errors.Add($"Console:PodsPerPage: must be 1..1000, got {o.PodsPerPage}");
        HttpUrl("EurekaUrl", o.EurekaUrl, errors);
        HttpUrl("ConnectUrl", o.ConnectUrl, errors);
        HttpUrl("ConfigServerUrl", o.ConfigServerUrl, errors);
        foreach (var url in (o.GatewayMetricsUrl ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            HttpUrl("GatewayMetricsUrl", url, errors);
        if (o.RegistryRefreshSeconds is < 1 or > 300) errors.Add($"Console:RegistryRefreshSeconds: must be 1..300, got {o.RegistryRefreshSeconds}");
        if (o.GatewayScrapeSeconds is < 1 or > 300) errors.Add($"Console:GatewayScrapeSeconds: must be 1..300, got {o.GatewayScrapeSeconds}");
        for (var i = 0; i < o.ConfigApplications.Count; i++)
            if (!Config.ConfigNames.IsApplication(o.ConfigApplications[i]))
                errors.Add($"Console:ConfigApplications:{i}: '{o.ConfigApplications[i]}' is not an application name (letters, digits, '-', '_', '.')");
        Oidc(o.Oidc, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Oidc(Auth.ConsoleOidcOptions o, List<string> errors)
    {
        if (!o.Enabled)
        {
            if (o.ClientId is { Length: > 0 }) errors.Add("Console:Oidc:Authority: required when ClientId is set");
            return;
        }
        if (!Uri.TryCreate(o.Authority, UriKind.Absolute, out var url) || !(url.Scheme == "https" || (url.Scheme == "http" && url.IsLoopback)))
            errors.Add($"Console:Oidc:Authority: '{o.Authority}' must be an absolute https URL (http only for a loopback issuer)");
        if (string.IsNullOrWhiteSpace(o.ClientId)) errors.Add("Console:Oidc:ClientId: required when Authority is set");
        for (var i = 0; i < o.Scopes.Count; i++)
            if (string.IsNullOrWhiteSpace(o.Scopes[i]) || o.Scopes[i].Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                errors.Add($"Console:Oidc:Scopes:{i}: a scope is one word without spaces");
    }

    /// <summary>An optional absolute http(s) URL; the message never repeats the value (it may carry credentials).</summary>
    private static void HttpUrl(string key, string? value, List<string> errors)
    {
        if (!string.IsNullOrEmpty(value) && (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
            errors.Add($"Console:{key}: an absolute http(s) URL is required");
    }
}
