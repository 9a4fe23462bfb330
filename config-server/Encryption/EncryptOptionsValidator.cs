using System.Globalization;
using Microsoft.Extensions.Options;

namespace Platform.ConfigServer.Encryption;

internal sealed class EncryptOptionsValidator : IValidateOptions<EncryptOptions>
{
    public ValidateOptionsResult Validate(string? name, EncryptOptions options)
    {
        var salt = options.Salt ?? "";
        if (salt.Length == 0 || salt.Length % 2 != 0 || !salt.All(char.IsAsciiHexDigit))
            return ValidateOptionsResult.Fail(string.Create(CultureInfo.InvariantCulture,
                $"{EncryptOptions.Section}:Salt: must be a non-empty even-length hex string (Spring's default is deadbeef), got {salt.Length} characters"));
        return ValidateOptionsResult.Success;
    }
}
