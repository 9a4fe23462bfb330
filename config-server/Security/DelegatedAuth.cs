using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Platform.ApiServer.Client;

namespace Platform.ConfigServer.Security;

/// <summary>
/// Kubernetes' delegated authentication and authorization against the platform's apiserver, as aggregated API servers
/// and kubelets do it: a bearer token the config server does not know itself is reviewed with a <c>TokenReview</c>
/// (who is it: user and groups), and whether that user may read a namespace's ConfigMaps (or one of its Secrets) with a
/// <c>SubjectAccessReview</c>. The config server's own apiserver identity needs the ClusterRole
/// <c>system:auth-delegator</c>. Answers are cached for <see cref="CacheFor"/> (a revoked token or binding stops
/// working within it), keyed by the token's hash, never the token.
/// </summary>
internal sealed class DelegatedAuth(ApiClient api, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private const int MaxCached = 10_000;
    private readonly ConcurrentDictionary<string, (ReviewedUser? User, DateTimeOffset Until)> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string User, string Groups, string Namespace, string Resource, string? Name), (bool Allowed, DateTimeOffset Until)> _access = new();

    /// <summary>The user a token belongs to, or null when the apiserver does not know it.</summary>
    public async Task<ReviewedUser?> AuthenticateAsync(string token, CancellationToken ct)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var now = time.GetUtcNow();
        if (_tokens.TryGetValue(key, out var hit) && hit.Until > now) return hit.User;
        var review = await api.CreateReturningAsync("/apis/authentication.k8s.io/v1/tokenreviews", new JsonObject
        {
            ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenReview", ["spec"] = new JsonObject { ["token"] = token },
        }, ct);
        ReviewedUser? user = null;
        if (review["status"] is JsonObject status && (bool?)status["authenticated"] == true && status["user"] is JsonObject u && (string?)u["username"] is { Length: > 0 } name)
            user = new ReviewedUser(name, u["groups"] is JsonArray g ? [.. g.Select(x => (string?)x).OfType<string>()] : []);
        if (_tokens.Count > MaxCached) _tokens.Clear();
        _tokens[key] = (user, now + CacheFor);
        return user;
    }

    /// <summary>
    /// Whether <paramref name="user"/> may <c>get</c> <paramref name="resource"/> in <paramref name="ns"/>: any of them
    /// when <paramref name="name"/> is null, else that one (a Role limited by <c>resourceNames</c> allows only the latter).
    /// </summary>
    public async Task<bool> MayGetAsync(ReviewedUser user, string ns, string resource, string? name, CancellationToken ct)
    {
        var key = (user.Name, string.Join(",", user.Groups), ns, resource, name);
        var now = time.GetUtcNow();
        if (_access.TryGetValue(key, out var hit) && hit.Until > now) return hit.Allowed;
        var attributes = new JsonObject { ["namespace"] = ns, ["verb"] = "get", ["resource"] = resource };
        if (name is not null) attributes["name"] = name;
        var review = await api.CreateReturningAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews", new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1", ["kind"] = "SubjectAccessReview",
            ["spec"] = new JsonObject
            {
                ["user"] = user.Name, ["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode?)g)]),
                ["resourceAttributes"] = attributes,
            },
        }, ct);
        var allowed = (bool?)review["status"]?["allowed"] == true;
        if (_access.Count > MaxCached) _access.Clear();
        _access[key] = (allowed, now + CacheFor);
        return allowed;
    }
}

/// <summary>A caller the apiserver vouched for.</summary>
internal sealed record ReviewedUser(string Name, IReadOnlyList<string> Groups)
{
    /// <summary>The namespace of a ServiceAccount user (<c>system:serviceaccount:NS:NAME</c>), else null.</summary>
    public string? ServiceAccountNamespace => Name.StartsWith("system:serviceaccount:", StringComparison.Ordinal) && Name.Split(':') is [_, _, var ns, _] ? ns : null;
}
