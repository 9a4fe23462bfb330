using Microsoft.Extensions.Options;

namespace Platform.ConfigServer.Security;

internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var errors = new List<string>();
        if (!string.IsNullOrEmpty(options.Username) != !string.IsNullOrEmpty(options.Password))
            errors.Add($"{SecurityOptions.Section}:Username and {SecurityOptions.Section}:Password: set both or neither");
        if (options.Enabled && !options.HasBasic && !options.HasBearer)
            errors.Add($"{SecurityOptions.Section}:Username/Password or {SecurityOptions.Section}:BearerToken: required while {SecurityOptions.Section}:Enabled is true");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
