using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Platform.NodeAgent.Api;

/// <summary>
/// Authenticates callers of the agent's own endpoints by asking the apiserver
/// (<c>POST /apis/auth.platform.io/v1/tokenreviews</c>, kubelet's webhook authentication). Answers, negative ones
/// included, are cached for <see cref="CacheFor"/> by the token's hash, so a streaming client does not cost a review
/// per request and a flood of bad tokens does not reach the apiserver.
/// </summary>
internal sealed class TokenReviewer(IHttpClientFactory http, TimeProvider time)
{
    public const string HttpClientName = "tokenreview";
    public const string Path = "/apis/auth.platform.io/v1/tokenreviews";
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (ReviewedUser? User, DateTimeOffset Until)> _cache = new();

    /// <summary>The token's user, or null when the apiserver does not know the token; throws <see cref="HttpRequestException"/> when it cannot answer.</summary>
    public async Task<ReviewedUser?> ReviewAsync(string token, CancellationToken ct)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var hit) && hit.Until > now) return hit.User;
        var body = new JsonObject { ["apiVersion"] = "auth.platform.io/v1", ["kind"] = "TokenReview", ["spec"] = new JsonObject { ["token"] = token } };
        using var r = await http.CreateClient(HttpClientName).PostAsJsonAsync(Path, body, ct);
        if (!r.IsSuccessStatusCode)
            throw new HttpRequestException($"token review: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync(ct)}", null, r.StatusCode);
        var status = (await r.Content.ReadFromJsonAsync<JsonObject>(ct))?["status"];
        var user = status?["authenticated"]?.GetValue<bool>() == true && status["user"] is JsonObject u
            ? new ReviewedUser((string?)u["username"] ?? "", (string?)u["role"] ?? "")
            : null;
        if (_cache.Count > 10_000) _cache.Clear();
        _cache[key] = (user, now + CacheFor);
        return user;
    }
}
