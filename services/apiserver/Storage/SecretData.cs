using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.ApiServer.Secrets;

namespace Platform.ApiServer.Storage;

/// <summary>Moves a Secret's <c>data</c> out of the stored body into an encrypted column, and back on read.</summary>
internal sealed class SecretData(SecretCipher cipher)
{
    /// <summary>Removes <c>data</c> from <paramref name="body"/> and returns it encrypted (null when there is none).</summary>
    public byte[]? Split(JsonObject body, string ns, string name)
    {
        if (body["data"] is not JsonObject data) return null;
        body.Remove("data");
        return cipher.Encrypt(JsonSerializer.SerializeToUtf8Bytes(data), $"{ns}/{name}");
    }

    /// <summary>The object JSON with <c>data</c> decrypted back in.</summary>
    public string Merge(string json, byte[] encrypted, string ns, string name)
    {
        var body = (JsonObject)JsonNode.Parse(json)!;
        body["data"] = JsonNode.Parse(cipher.Decrypt(encrypted, $"{ns}/{name}"));
        return body.ToJsonString();
    }

    public bool NeedsReencryption(byte[] encrypted) => SecretCipher.KeyIdOf(encrypted) != cipher.ActiveKeyId;

    public byte[] Reencrypt(byte[] encrypted, string ns, string name) =>
        cipher.Encrypt(cipher.Decrypt(encrypted, $"{ns}/{name}"), $"{ns}/{name}");
}
