using Microsoft.Extensions.Options;

namespace Platform.Discovery.Client.Configuration;

/// <summary>Reports every invalid <c>eureka:client</c> setting at start, naming its key.</summary>
internal sealed class EurekaClientOptionsValidator : IValidateOptions<EurekaClientOptions>
{
    public ValidateOptionsResult Validate(string? name, EurekaClientOptions o)
    {
        var errors = new List<string>();
        foreach (var u in o.ServiceUrl.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            if (!Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                errors.Add($"eureka:client:serviceUrl:defaultZone: '{u}' is not an http(s) URL");
        if (string.IsNullOrWhiteSpace(o.ServiceUrl)) errors.Add("eureka:client:serviceUrl:defaultZone: required");
        if (o.RegistryFetchIntervalSeconds <= 0) errors.Add("eureka:client:registryFetchIntervalSeconds: must be > 0");
        if (o.EurekaServerConnectTimeoutSeconds <= 0) errors.Add("eureka:client:eurekaServerConnectTimeoutSeconds: must be > 0");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
