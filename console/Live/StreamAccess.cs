using Platform.ApiServer.Client;
using Platform.Console.Apiserver;

namespace Platform.Console.Live;

/// <summary>
/// What one open stream may show: an event of kind K in namespace N goes to a user only when the apiserver answers a
/// <c>SelfSubjectAccessReview</c> for <c>list K in N</c> (cluster-scoped kinds: <c>list K</c>) with allowed, asked with the
/// user's own token. Answers are kept for <see cref="ConsoleOptions.AccessCacheSeconds"/>, so a revoked RoleBinding
/// stops the flow within that time; an error counts as denied.
/// </summary>
internal sealed class StreamAccess(ApiClient user, TimeProvider time, TimeSpan ttl)
{
    private readonly Dictionary<(string Group, string Plural, string? Ns), (bool Allowed, DateTimeOffset Until)> _answers = [];

    public async Task<bool> MayListAsync(string group, string plural, string? ns, CancellationToken ct)
    {
        var key = (group, plural, ns);
        var now = time.GetUtcNow();
        if (_answers.TryGetValue(key, out var a) && a.Until > now) return a.Allowed;
        var allowed = await AccessReview.AllowsAsync(user, "list", group, plural, ns, ct);
        if (_answers.Count > 10_000) _answers.Clear();
        _answers[key] = (allowed, now + ttl);
        return allowed;
    }
}
