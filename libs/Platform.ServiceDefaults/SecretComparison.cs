using System.Security.Cryptography;
using System.Text;

namespace Platform.ServiceDefaults;

/// <summary>
/// Compares a presented credential (token, password) with the expected one in time that depends on neither their
/// contents nor their lengths: both are hashed first, so a caller learns nothing from how long a refusal took.
/// </summary>
public static class SecretComparison
{
    public static bool FixedTimeEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
