using System.Collections.Immutable;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Platform.Gateway.Auth;

/// <summary>
/// API keys known only by their SHA-256, each valid for the routes of one scope: keys of <c>Gateway:Auth:ApiKeys</c>
/// (the operator's) for the gateway's own routes (routes file, admin API), keys kept as Secrets in namespace N
/// (which <see cref="ApiKeySecretSync"/> keeps here) for the Route resources of N only. A presented key is hashed
/// and compared in constant time with the keys of the route's scope; a key of another scope is unknown there.
/// </summary>
public sealed class ApiKeyStore(IOptionsMonitor<AuthOptions> options)
{
    /// <summary>Secret-backed keys by namespace, then by Secret name.</summary>
    private ImmutableDictionary<string, ImmutableDictionary<string, StoredKey>> _secretKeys =
        ImmutableDictionary<string, ImmutableDictionary<string, StoredKey>>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Names of the Secret-backed keys (<c>namespace/name</c>).</summary>
    public IEnumerable<string> SecretKeyNames => Volatile.Read(ref _secretKeys).SelectMany(ns => ns.Value.Keys.Select(name => $"{ns.Key}/{name}"));

    /// <summary>
    /// The key's principal when <paramref name="presented"/> is a key of <paramref name="routeNamespace"/>'s routes
    /// (null: the gateway's own routes, whose keys are the configured ones); else null.
    /// </summary>
    public ClaimsPrincipal? Authenticate(string presented, string? routeNamespace)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        if (routeNamespace is null)
        {
            foreach (var (name, key) in options.CurrentValue.ApiKeys)
            {
                byte[] stored;
                try { stored = Convert.FromHexString(key.Sha256); }
                catch (FormatException) { continue; }
                if (CryptographicOperations.FixedTimeEquals(hash, stored)) return Principal(name, null, key.Roles);
            }
            return null;
        }
        foreach (var (name, key) in Volatile.Read(ref _secretKeys).GetValueOrDefault(routeNamespace) ?? ImmutableDictionary<string, StoredKey>.Empty)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Sha256)) return Principal($"{routeNamespace}/{name}", routeNamespace, key.Roles);
        }
        return null;
    }

    internal void SetSecretKey(string ns, string name, StoredKey key) =>
        ImmutableInterlocked.Update(ref _secretKeys, (all, k) => all.SetItem(ns, (all.GetValueOrDefault(ns) ?? ImmutableDictionary<string, StoredKey>.Empty).SetItem(name, k)), key);

    internal void RemoveSecretKey(string ns, string name) =>
        ImmutableInterlocked.Update(ref _secretKeys, all => all.GetValueOrDefault(ns) is not { } keys ? all
            : keys.Remove(name) is { IsEmpty: true } ? all.Remove(ns) : all.SetItem(ns, keys.Remove(name)));

    /// <summary>The claim naming the namespace of a Secret-backed key's principal.</summary>
    public const string NamespaceClaim = "namespace";

    private static ClaimsPrincipal Principal(string name, string? ns, IEnumerable<string> roles)
    {
        var claims = new List<Claim> { new("sub", name), new("auth_method", "api_key") };
        if (ns is not null) claims.Add(new Claim(NamespaceClaim, ns));
        claims.AddRange(roles.Select(r => new Claim("roles", r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "ApiKey", "sub", "roles"));
    }

    internal sealed record StoredKey(byte[] Sha256, IReadOnlyList<string> Roles);

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
