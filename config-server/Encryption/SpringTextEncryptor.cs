using System.Security.Cryptography;
using System.Text;

namespace Platform.ConfigServer.Encryption;

/// <summary>
/// Spring Security's <c>Encryptors.text(password, salt)</c>, which Spring Cloud Config uses for a symmetric
/// <c>encrypt.key</c>: the AES-256 key is PBKDF2-HMAC-SHA1(UTF-8 password, hex-decoded salt, 1024 iterations);
/// each value gets a random 16-byte IV; the output is hex(IV || AES-CBC-PKCS7(UTF-8 text)).
/// </summary>
internal sealed class SpringTextEncryptor
{
    private const int Iterations = 1024;
    private const int IvLength = 16;
    private readonly byte[] _key;

    public SpringTextEncryptor(string password, string hexSalt)
    {
        var salt = Convert.FromHexString(hexSalt);
        _key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA1, 32);
    }

    public string Encrypt(string plainText)
    {
        using var aes = Aes.Create();
        aes.Key = _key;
        var iv = RandomNumberGenerator.GetBytes(IvLength);
        var cipher = aes.EncryptCbc(Encoding.UTF8.GetBytes(plainText), iv, PaddingMode.PKCS7);
        return Convert.ToHexStringLower([.. iv, .. cipher]);
    }

    /// <summary>Throws <see cref="CryptographicException"/> when the text is not hex, too short, or was made with another key.</summary>
    public string Decrypt(string hexCipherText)
    {
        byte[] data;
        try { data = Convert.FromHexString(hexCipherText.Trim()); }
        catch (FormatException ex) { throw new CryptographicException("cipher text is not hex", ex); }
        if (data.Length < IvLength * 2 || data.Length % IvLength != 0)
            throw new CryptographicException("cipher text has the wrong length for IV + AES blocks");
        using var aes = Aes.Create();
        aes.Key = _key;
        var plain = aes.DecryptCbc(data.AsSpan(IvLength), data.AsSpan(0, IvLength), PaddingMode.PKCS7);
        return Encoding.UTF8.GetString(plain);
    }
}
