using Microsoft.Extensions.Options;

namespace Platform.ConfigServer.Backends.Git;

internal sealed class GitOptionsValidator : IValidateOptions<GitOptions>
{
    public ValidateOptionsResult Validate(string? name, GitOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Uri)) errors.Add($"{GitOptions.Section}:Uri: required for the git backend");
        if (options.RefreshRateSeconds < 0) errors.Add($"{GitOptions.Section}:RefreshRateSeconds: must be >= 0");
        if (string.IsNullOrWhiteSpace(options.DefaultLabel)) errors.Add($"{GitOptions.Section}:DefaultLabel: must not be empty");
        if (string.IsNullOrEmpty(options.Username) != string.IsNullOrEmpty(options.Password))
            errors.Add($"{GitOptions.Section}:Username and {GitOptions.Section}:Password: set both or neither");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
