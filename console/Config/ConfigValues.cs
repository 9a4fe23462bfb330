using System.Text.Json.Nodes;
using Platform.Console.Connect;

namespace Platform.Console.Config;

/// <summary>What the config page shows for a value, decided before the value reaches a page model.</summary>
internal static class ConfigValues
{
    public const string CipherPrefix = "{cipher}";
    public const string Encrypted = "encrypted";

    /// <summary>
    /// A <c>{cipher}</c> value is shown as <c>encrypted</c>, without even its cipher text: the text tells a reader
    /// nothing, and on a page anyone allowed to list ConfigMaps can open it would hand out material for an offline
    /// guess of the encryption key (Spring's key derivation is PBKDF2 with 1024 rounds). Every value of a Secret's
    /// source (<c>secret:ns/name</c>) is masked, whatever its key; elsewhere a key that names a password, secret, token,
    /// key or credential is (<see cref="Secrets.IsSecret"/>, the connectors page's rule).
    /// </summary>
    public static ConfigProperty Present(string source, string key, JsonNode? value)
    {
        var text = value switch
        {
            null => "",
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => value.ToJsonString(),
        };
        if (text.StartsWith(CipherPrefix, StringComparison.Ordinal)) return new ConfigProperty(key, Encrypted, ConfigValueKind.Encrypted);
        if (text.Length > 0 && (source.StartsWith("secret:", StringComparison.Ordinal) || Secrets.IsSecret(key)))
            return new ConfigProperty(key, Secrets.Masked, ConfigValueKind.Masked);
        return new ConfigProperty(key, text, ConfigValueKind.Plain);
    }
}
