namespace Platform.ConfigServer.Encryption;

/// <summary>
/// <c>ConfigServer:Encrypt</c>, the counterpart of Spring's <c>encrypt.key</c>/<c>encrypt.salt</c>: a symmetric
/// password and a hex salt. The same pair as a Spring Cloud Config server decrypts its ciphertexts.
/// </summary>
internal sealed class EncryptOptions
{
    public const string Section = "ConfigServer:Encrypt";

    /// <summary>The symmetric key (a password). Empty means encryption is off (<c>/encrypt/status</c> says NO_KEY).</summary>
    public string? Key { get; set; }

    /// <summary>Hex-encoded salt for the key derivation; Spring's default is <c>deadbeef</c>.</summary>
    public string Salt { get; set; } = "deadbeef";
}
