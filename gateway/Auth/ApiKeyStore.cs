using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Platform.Gateway.Auth;

/// <summary>API keys known only by their SHA-256; a presented key is hashed and compared in constant time.</summary>
public sealed class ApiKeyStore(IOptionsMonitor<AuthOptions> options)
{
    public ClaimsPrincipal? Authenticate(string presented)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        foreach (var (name, key) in options.CurrentValue.ApiKeys)
        {
            byte[] stored;
            try { stored = Convert.FromHexString(key.Sha256); }
            catch (FormatException) { continue; }
            if (!CryptographicOperations.FixedTimeEquals(hash, stored)) continue;
            var claims = new List<Claim> { new("sub", name), new("auth_method", "api_key") };
            claims.AddRange(key.Roles.Select(r => new Claim("roles", r)));
            return new ClaimsPrincipal(new ClaimsIdentity(claims, "ApiKey", "sub", "roles"));
        }
        return null;
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
