using Microsoft.Extensions.Primitives;
using Platform.ApiServer.Auth.Rbac;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Auth;

/// <summary>
/// Kubernetes' user impersonation (<c>kubectl --as=jane --as-group=devs</c>): the headers <c>Impersonate-User</c>,
/// <c>Impersonate-Group</c> (repeatable), <c>Impersonate-Uid</c> and <c>Impersonate-Extra-KEY</c> make the request act
/// as that user, once the authenticated caller may <c>impersonate</c> each of them — <c>users</c> (or, for a
/// <c>system:serviceaccount:NS:NAME</c> user, <c>serviceaccounts</c> NAME in NS), <c>groups</c>, <c>uids</c> and
/// <c>userextras/KEY</c> of <c>authentication.k8s.io</c>. The impersonated user holds only what RBAC grants it; the
/// audit log names both. Applied by Api/ImpersonationMiddleware.cs after authentication.
/// </summary>
internal static class Impersonation
{
    public const string UserHeader = "Impersonate-User";
    public const string GroupHeader = "Impersonate-Group";
    public const string UidHeader = "Impersonate-Uid";
    public const string ExtraPrefix = "Impersonate-Extra-";
    private const int MaxValues = 64;
    private const int MaxLength = 1024;

    /// <summary>The caller the request acts as, after checking that <paramref name="caller"/> may impersonate every part of it.</summary>
    public static Caller Impersonate(Caller caller, IHeaderDictionary headers, List<KeyValuePair<string, StringValues>> extras, Authorizer authorizer)
    {
        var user = Single(headers, UserHeader);
        var groups = Values(headers, GroupHeader);
        var uid = Single(headers, UidHeader);
        if (user is null)
            throw ApiProblem.BadRequest($"requested impersonation of {string.Join(", ", DescribeParts(groups, uid, extras))} without impersonating a user ({UserHeader})");
        if (caller.Impersonator is not null) throw ApiProblem.Forbidden("an impersonated request may not impersonate again");

        string? saNamespace = null, saName = null;
        if (user.StartsWith("system:serviceaccount:", StringComparison.Ordinal))
        {
            var parts = user.Split(':');
            if (parts.Length != 4 || parts[2].Length == 0 || parts[3].Length == 0)
                throw ApiProblem.BadRequest(UserHeader, $"'{user}' is not system:serviceaccount:NAMESPACE:NAME");
            (saNamespace, saName) = (parts[2], parts[3]);
            Require(authorizer, caller, new RequestAttributes("impersonate", "", "serviceaccounts", null, saName, saNamespace), $"serviceaccounts \"{saName}\"", saNamespace);
        }
        else
        {
            Require(authorizer, caller, new RequestAttributes("impersonate", "", "users", null, user, null), $"users \"{user}\"", null);
        }
        foreach (var group in groups)
            Require(authorizer, caller, new RequestAttributes("impersonate", "", "groups", null, group, null), $"groups \"{group}\"", null);
        if (uid is not null)
            Require(authorizer, caller, new RequestAttributes("impersonate", "authentication.k8s.io", "uids", null, uid, null), $"uids.authentication.k8s.io \"{uid}\"", null);
        var extra = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (header, values) in extras)
        {
            var key = Uri.UnescapeDataString(header[ExtraPrefix.Length..]).ToLowerInvariant();
            if (key.Length == 0) throw ApiProblem.BadRequest(header, "names no extra key");
            foreach (var value in Limit(header, values))
                Require(authorizer, caller, new RequestAttributes("impersonate", "authentication.k8s.io", "userextras", key, value, null), $"userextras.authentication.k8s.io \"{value}\"", null);
            extra[key] = [.. values.Select(v => v ?? "")];
        }

        List<string> allGroups = [.. groups];
        if (saNamespace is not null) allGroups.AddRange([Groups.ServiceAccounts, Groups.ServiceAccounts + ":" + saNamespace]);
        if (user != "system:anonymous" && !allGroups.Contains(Groups.Authenticated)) allGroups.Add(Groups.Authenticated);
        var role = saNamespace is not null ? Role.ServiceAccount : Role.User;
        return new Caller(user, role, saNamespace, null)
        {
            Groups = allGroups.Distinct(StringComparer.Ordinal).ToList(),
            Uid = uid,
            Extra = extra.Count > 0 ? extra : null,
            Impersonator = caller,
        };
    }

    private static void Require(Authorizer authorizer, Caller caller, RequestAttributes a, string what, string? ns)
    {
        if (authorizer.Allows(caller, a)) return;
        var scope = ns is null ? "at the cluster scope" : $"in the namespace \"{ns}\"";
        var group = a.ApiGroup.Length == 0 ? "\"\"" : $"\"{a.ApiGroup}\"";
        throw ApiProblem.Forbidden($"{what} is forbidden: User \"{caller.User}\" cannot impersonate resource \"{a.Resource}{(a.Subresource is null ? "" : "/" + a.Subresource)}\" in API group {group} {scope}");
    }

    private static string? Single(IHeaderDictionary headers, string name)
    {
        var values = Values(headers, name);
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw ApiProblem.BadRequest(name, "given more than once"),
        };
    }

    private static List<string> Values(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) ? [.. Limit(name, values).Where(v => v.Length > 0)] : [];

    private static IEnumerable<string> Limit(string name, StringValues values)
    {
        if (values.Count > MaxValues) throw ApiProblem.BadRequest(name, $"at most {MaxValues} values");
        foreach (var v in values)
        {
            if (v is null) continue;
            if (v.Length > MaxLength) throw ApiProblem.BadRequest(name, $"longer than {MaxLength} characters");
            yield return v;
        }
    }

    private static IEnumerable<string> DescribeParts(List<string> groups, string? uid, List<KeyValuePair<string, StringValues>> extras)
    {
        foreach (var g in groups) yield return $"group \"{g}\"";
        if (uid is not null) yield return $"uid \"{uid}\"";
        foreach (var (k, _) in extras) yield return $"extra \"{k[ExtraPrefix.Length..]}\"";
    }
}
