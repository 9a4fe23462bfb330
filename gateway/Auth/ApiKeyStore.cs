using System.Collections.Immutable;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Platform.Gateway.Auth;

/// <summary>
/// API keys known only by their SHA-256 (from <c>Gateway:Auth:ApiKeys</c> and from labelled Secrets in the apiserver,
/// which <see cref="ApiKeySecretSync"/> keeps here); a presented key is hashed and compared in constant time.
/// </summary>
public sealed class ApiKeyStore(IOptionsMonitor<AuthOptions> options)
{
    private volatile ImmutableDictionary<string, StoredKey> _secretKeys = ImmutableDictionary<string, StoredKey>.Empty;

    /// <summary>Names of the Secret-backed keys (<c>namespace/name</c>).</summary>
    public IEnumerable<string> SecretKeyNames => _secretKeys.Keys;

    public ClaimsPrincipal? Authenticate(string presented)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        foreach (var (name, key) in options.CurrentValue.ApiKeys)
        {
            byte[] stored;
            try { stored = Convert.FromHexString(key.Sha256); }
            catch (FormatException) { continue; }
            if (CryptographicOperations.FixedTimeEquals(hash, stored)) return Principal(name, key.Roles);
        }
        foreach (var (name, key) in _secretKeys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Sha256)) return Principal(name, key.Roles);
        }
        return null;
    }

    internal void SetSecretKey(string name, StoredKey key) => _secretKeys = _secretKeys.SetItem(name, key);

    internal void RemoveSecretKey(string name) => _secretKeys = _secretKeys.Remove(name);

    private static ClaimsPrincipal Principal(string name, IEnumerable<string> roles)
    {
        var claims = new List<Claim> { new("sub", name), new("auth_method", "api_key") };
        claims.AddRange(roles.Select(r => new Claim("roles", r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "ApiKey", "sub", "roles"));
    }

    internal sealed record StoredKey(byte[] Sha256, IReadOnlyList<string> Roles);

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
