using Microsoft.Extensions.Options;

namespace Platform.ConfigServer.Encryption;

/// <summary>Holds the configured encryptor, or null when no key is installed.</summary>
internal sealed class EncryptorProvider(IOptions<EncryptOptions> options)
{
    private readonly Lazy<SpringTextEncryptor?> _encryptor = new(() =>
        string.IsNullOrEmpty(options.Value.Key) ? null : new SpringTextEncryptor(options.Value.Key, options.Value.Salt));

    public SpringTextEncryptor? Encryptor => _encryptor.Value;
}
