using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.ApiServer.Auth.Rbac;
using Platform.ApiServer.Secrets;
using Platform.ApiServer.Storage;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Auth;

/// <summary>
/// ServiceAccount tokens as Kubernetes issues them through the TokenRequest API: JWTs (ES256) with <c>iss</c>,
/// <c>sub = system:serviceaccount:NS:NAME</c>, <c>aud</c>, <c>exp</c> and the <c>kubernetes.io</c> claim naming the
/// account's and (when bound) the pod's name and uid. A token is valid while it has not expired, is meant for this
/// apiserver's audience, and its ServiceAccount (and pod) still exist with the same uid: deleting either revokes it.
/// Those lookups are cached for a few seconds, as the platform tokens are.
/// </summary>
internal sealed class ServiceAccountTokens
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MinExpiration = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan DefaultExpiration = TimeSpan.FromHours(1);
    private const string KubernetesClaim = "kubernetes.io";

    private readonly ObjectStore _store;
    private readonly TimeProvider _time;
    private readonly ApiServerOptions _options;
    private readonly ECDsaSecurityKey _key;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly ConcurrentDictionary<(string Kind, string Ns, string Name), (string? Uid, DateTimeOffset Until)> _exists = new();

    public ServiceAccountTokens(ObjectStore store, IOptions<ApiServerOptions> options, TimeProvider time)
    {
        _store = store;
        _time = time;
        _options = options.Value;
        var path = string.IsNullOrEmpty(_options.ServiceAccountKeyFile) ? Path.Combine(_options.StateDirectory, "apiserver-sa-key.pem") : _options.ServiceAccountKeyFile;
        var pem = string.IsNullOrEmpty(_options.ServiceAccountKeyFile)
            ? GeneratedKeyFile.ReadOrCreate(path, () => ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportECPrivateKeyPem())
            : File.ReadAllText(path);
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        // Kubernetes' key id: a hash of the public key, so verifiers can tell keys apart across rotations.
        var kid = Base64UrlEncoder.Encode(SHA256.HashData(ecdsa.ExportSubjectPublicKeyInfo()));
        _key = new ECDsaSecurityKey(ecdsa) { KeyId = kid };
    }

    public string Issuer => _options.ServiceAccountIssuer;

    /// <summary>Whether <paramref name="token"/> looks like a JWT (three dot-separated parts), as opposed to a platform token.</summary>
    public static bool LooksLikeJwt(string token) => token.StartsWith("eyJ", StringComparison.Ordinal) && token.Count(c => c == '.') == 2;

    public (string Token, DateTimeOffset Expires) Issue(ServiceAccount account, IReadOnlyList<string> audiences, TimeSpan lifetime, Pod? boundPod)
    {
        var now = _time.GetUtcNow();
        var expires = now + lifetime;
        var k8s = new JsonObject
        {
            ["namespace"] = account.Metadata.Namespace,
            ["serviceaccount"] = new JsonObject { ["name"] = account.Metadata.Name, ["uid"] = account.Metadata.Uid },
        };
        if (boundPod is not null) k8s["pod"] = new JsonObject { ["name"] = boundPod.Metadata.Name, ["uid"] = boundPod.Metadata.Uid };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = Groups.ServiceAccountUser(account.Metadata.Namespace!, account.Metadata.Name!),
                ["aud"] = audiences.ToArray(),
                ["jti"] = Guid.NewGuid().ToString(),
                // An object claim, as Kubernetes writes it (a string would be a JSON string inside the token).
                [KubernetesClaim] = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(k8s.ToJsonString()),
            },
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.EcdsaSha256),
        };
        return (_handler.CreateToken(descriptor), expires);
    }

    /// <summary>The ServiceAccount caller of a valid token, or null.</summary>
    public async Task<Caller?> AuthenticateAsync(string token, CancellationToken ct)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Issuer,
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = (nbf, exp, _, _) => exp is { } e && e > _time.GetUtcNow().UtcDateTime && (nbf is null || nbf <= _time.GetUtcNow().UtcDateTime.AddSeconds(30)),
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt) return null;
        if (!jwt.TryGetPayloadValue<System.Text.Json.JsonElement>(KubernetesClaim, out var k8s) || k8s.ValueKind != System.Text.Json.JsonValueKind.Object) return null;
        string? Str(System.Text.Json.JsonElement e, string a, string? b = null)
        {
            if (!e.TryGetProperty(a, out var v)) return null;
            if (b is not null && (v.ValueKind != System.Text.Json.JsonValueKind.Object || !v.TryGetProperty(b, out v))) return null;
            return v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString() : null;
        }
        var ns = Str(k8s, "namespace");
        var name = Str(k8s, "serviceaccount", "name");
        var uid = Str(k8s, "serviceaccount", "uid");
        if (ns is null || name is null || uid is null || jwt.Subject != Groups.ServiceAccountUser(ns, name)) return null;
        if (await UidOfAsync(ResourceKinds.ServiceAccount, ns, name, ct) != uid) return null;
        Dictionary<string, string[]>? extra = null;
        if (Str(k8s, "pod", "name") is { } pod)
        {
            var podUid = Str(k8s, "pod", "uid");
            if (podUid is null || await UidOfAsync(ResourceKinds.Pod, ns, pod, ct) != podUid) return null;
            extra = new() { ["authentication.kubernetes.io/pod-name"] = [pod], ["authentication.kubernetes.io/pod-uid"] = [podUid] };
        }
        return new Caller(Groups.ServiceAccountUser(ns, name), Role.ServiceAccount, ns, null) { Uid = uid, Extra = extra };
    }

    private async Task<string?> UidOfAsync(ResourceKind kind, string ns, string name, CancellationToken ct)
    {
        var key = (kind.Kind, ns, name);
        var now = _time.GetUtcNow();
        if (_exists.TryGetValue(key, out var hit) && hit.Until > now) return hit.Uid;
        var obj = await _store.GetAsync(kind, ns, name, ct);
        var uid = (string?)obj?.Body["metadata"]?["uid"];
        if (_exists.Count > 10_000) _exists.Clear();
        _exists[key] = (uid, now + CacheFor);
        return uid;
    }
}
