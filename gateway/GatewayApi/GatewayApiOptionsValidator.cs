using Microsoft.Extensions.Options;
using Platform.Gateway.GatewayApi.Listeners;

namespace Platform.Gateway.GatewayApi;

/// <summary>Checks <c>Gateway:GatewayApi</c> at start; every message names its key.</summary>
internal sealed class GatewayApiOptionsValidator : IValidateOptions<GatewayApiOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayApiOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ControllerName)) errors.Add($"{GatewayApiOptions.Section}:ControllerName: required");
        if (options.ListenerPorts is { } ports) ListenerPortMap.Parse(ports, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
