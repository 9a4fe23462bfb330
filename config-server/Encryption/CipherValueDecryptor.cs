using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Platform.ConfigServer.Environment;

namespace Platform.ConfigServer.Encryption;

/// <summary>
/// Replaces <c>{cipher}...</c> values with their plain text when served. A value that cannot be decrypted
/// becomes <c>invalid.{key}: &lt;n/a&gt;</c>, Spring's marker, so a client sees which key is broken.
/// Only key names are ever logged, never values.
/// </summary>
internal sealed partial class CipherValueDecryptor(EncryptorProvider provider, ILogger<CipherValueDecryptor> logger)
{
    public const string Prefix = "{cipher}";

    public PropertySource Decrypt(PropertySource source)
    {
        if (!source.Source.Values.Any(v => v is string s && s.StartsWith(Prefix, StringComparison.Ordinal))) return source;
        var result = new OrderedDictionary<string, object?>();
        foreach (var (key, value) in source.Source)
        {
            if (value is not string s || !s.StartsWith(Prefix, StringComparison.Ordinal)) { result[key] = value; continue; }
            var encryptor = provider.Encryptor;
            if (encryptor is null)
            {
                LogNoKey(logger, key, source.Name);
                result["invalid." + key] = "<n/a>";
                continue;
            }
            try
            {
                result[key] = encryptor.Decrypt(StripKeyPrefix(s[Prefix.Length..]));
            }
            catch (CryptographicException)
            {
                LogUndecryptable(logger, key, source.Name);
                result["invalid." + key] = "<n/a>";
            }
        }
        return source with { Source = result };
    }

    /// <summary>Spring allows <c>{key:name}</c> / <c>{secret:...}</c> prefixes to pick a key; with one symmetric key they are skipped.</summary>
    private static string StripKeyPrefix(string value)
    {
        while (value.StartsWith('{'))
        {
            var close = value.IndexOf('}', StringComparison.Ordinal);
            if (close < 0) break;
            value = value[(close + 1)..];
        }
        return value;
    }

    [LoggerMessage(EventId = 8101, Level = LogLevel.Warning, Message = "cannot decrypt {Key} in {Source}: no encryption key installed (ConfigServer:Encrypt:Key)")]
    private static partial void LogNoKey(ILogger logger, string key, string source);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Warning, Message = "cannot decrypt {Key} in {Source}: wrong key or corrupt cipher text")]
    private static partial void LogUndecryptable(ILogger logger, string key, string source);
}
