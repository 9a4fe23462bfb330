using Microsoft.Extensions.Options;
using Platform.ConfigServer.Security;

namespace Platform.ConfigServer.Backends.Secrets;

/// <summary>
/// Secrets need a topic and callers who identify themselves: with <c>ConfigServer:Security:Enabled</c> false every
/// Secret would go to anyone who asks.
/// </summary>
internal sealed class SecretOptionsValidator(IOptions<SecurityOptions> security) : IValidateOptions<SecretOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretOptions options)
    {
        if (!options.Enabled) return ValidateOptionsResult.Success;
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Topic)) errors.Add($"{SecretOptions.Section}:Topic: required while {SecretOptions.Section}:Enabled is true");
        if (!security.Value.Enabled)
            errors.Add($"{SecretOptions.Section}:Enabled: requires {SecurityOptions.Section}:Enabled (Secrets are served only to callers who authenticate)");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
