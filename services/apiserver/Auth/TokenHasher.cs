using System.Security.Cryptography;
using System.Text;

namespace Platform.ApiServer.Auth;

/// <summary>
/// Tokens are 32 random bytes, so a plain SHA-256 is enough to store them (no password stretching needed);
/// only the hash is kept.
/// </summary>
internal static class TokenHasher
{
    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Compares two tokens in time that depends on neither their contents nor their lengths (both are hashed first).</summary>
    public static bool FixedTimeEquals(string a, string b) => Platform.ServiceDefaults.SecretComparison.FixedTimeEquals(a, b);

    public static string NewToken() => "plt_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
