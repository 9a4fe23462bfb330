using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Platform.ApiServer.Secrets;

/// <summary>
/// AES-256-GCM for Secret data at rest. Layout: key-id length (1 byte), key id, nonce (12), tag (16), ciphertext.
/// The object's <c>namespace/name</c> is bound in as associated data so a ciphertext cannot be moved to another secret.
/// </summary>
internal sealed class SecretCipher
{
    private readonly EncryptionKey _active;
    private readonly Dictionary<string, EncryptionKey> _byId;

    public SecretCipher(IOptions<ApiServerOptions> options)
    {
        var o = options.Value;
        var texts = o.EncryptionKeys.Count > 0 ? o.EncryptionKeys : [GeneratedKeyFile.ReadOrCreate(Path.Combine(o.StateDirectory, "apiserver-encryption-key"), NewKeyText)];
        var keys = texts.Select(t => EncryptionKey.TryParse(t, out var k, out var why) ? k! : throw new InvalidOperationException($"ApiServer:EncryptionKeys: {why}")).ToList();
        _active = keys[0];
        _byId = keys.GroupBy(k => k.Id).ToDictionary(g => g.Key, g => g.First());
    }

    public string ActiveKeyId => _active.Id;

    public byte[] Encrypt(ReadOnlySpan<byte> plaintext, string associated)
    {
        var id = Encoding.UTF8.GetBytes(_active.Id);
        var output = new byte[1 + id.Length + 12 + 16 + plaintext.Length];
        output[0] = (byte)id.Length;
        id.CopyTo(output, 1);
        var nonce = output.AsSpan(1 + id.Length, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_active.Key, 16);
        aes.Encrypt(nonce, plaintext, output.AsSpan(1 + id.Length + 28), output.AsSpan(1 + id.Length + 12, 16), Encoding.UTF8.GetBytes(associated));
        return output;
    }

    public byte[] Decrypt(byte[] data, string associated)
    {
        var idLength = data[0];
        var id = Encoding.UTF8.GetString(data, 1, idLength);
        if (!_byId.TryGetValue(id, out var key))
            throw new InvalidOperationException($"secret data is encrypted with key '{id}', which is not in ApiServer:EncryptionKeys");
        var offset = 1 + idLength;
        var plaintext = new byte[data.Length - offset - 28];
        using var aes = new AesGcm(key.Key, 16);
        aes.Decrypt(data.AsSpan(offset, 12), data.AsSpan(offset + 28), data.AsSpan(offset + 12, 16), plaintext, Encoding.UTF8.GetBytes(associated));
        return plaintext;
    }

    /// <summary>The id of the key a stored ciphertext was made with.</summary>
    public static string KeyIdOf(byte[] data) => Encoding.UTF8.GetString(data, 1, data[0]);

    private static string NewKeyText() => "k" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + ":" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
