using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.Contracts.Resources;

namespace Platform.ConfigServer.Backends.ConfigMaps;

/// <summary>Reports every bad <c>ConfigServer:ConfigMaps</c> key at start instead of an informer that lists nothing.</summary>
internal sealed class ConfigMapOptionsValidator : IValidateOptions<ConfigMapOptions>
{
    private const string S = ConfigMapOptions.Section;

    public ValidateOptionsResult Validate(string? name, ConfigMapOptions options)
    {
        var errors = new List<string>();
        if (!ApiServerEndpoints.TryParse(options.ApiServerUrl, out _, out var urlError))
            errors.Add($"{S}:ApiServerUrl: {urlError}");
        if (string.IsNullOrWhiteSpace(options.Token))
            errors.Add($"{S}:Token: required (an apiserver token that may list ConfigMaps in every namespace and review callers)");
        if (!LabelNames.IsDns1123Label(options.Namespace))
            errors.Add($"{S}:Namespace: '{options.Namespace}' is not a namespace name (a DNS-1123 label)");
        if (string.IsNullOrWhiteSpace(options.Topic)) errors.Add($"{S}:Topic: required");
        if (string.IsNullOrWhiteSpace(options.DefaultLabel)) errors.Add($"{S}:DefaultLabel: required");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
