using System.Text.Json.Nodes;
using Platform.ApiServer.Client;

namespace Platform.Console.Live;

/// <summary>
/// What one open stream may show: an event of kind K in namespace N goes to a user only when the apiserver answers a
/// <c>SelfSubjectAccessReview</c> for <c>list K in N</c> (cluster-scoped kinds: <c>list K</c>) with allowed, asked with the
/// user's own token. Answers are kept for <see cref="ConsoleOptions.AccessCacheSeconds"/>, so a revoked RoleBinding
/// stops the flow within that time; an error counts as denied.
/// </summary>
internal sealed class StreamAccess(ApiClient user, TimeProvider time, TimeSpan ttl)
{
    private const string ReviewPath = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    private readonly Dictionary<(string Group, string Plural, string? Ns), (bool Allowed, DateTimeOffset Until)> _answers = [];

    public async Task<bool> MayListAsync(string group, string plural, string? ns, CancellationToken ct)
    {
        var key = (group, plural, ns);
        var now = time.GetUtcNow();
        if (_answers.TryGetValue(key, out var a) && a.Until > now) return a.Allowed;
        var attributes = new JsonObject { ["verb"] = "list", ["group"] = group, ["resource"] = plural };
        if (ns is not null) attributes["namespace"] = ns;
        var review = new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1", ["kind"] = "SelfSubjectAccessReview",
            ["spec"] = new JsonObject { ["resourceAttributes"] = attributes },
        };
        bool allowed;
        try
        {
            var answer = await user.SendAsync(HttpMethod.Post, ReviewPath, review, ct);
            allowed = (bool?)answer.Object["status"]?["allowed"] ?? false;
        }
        catch (HttpRequestException)
        {
            allowed = false;
        }
        if (_answers.Count > 10_000) _answers.Clear();
        _answers[key] = (allowed, now + ttl);
        return allowed;
    }
}
