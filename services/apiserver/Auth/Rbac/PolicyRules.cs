using Platform.Contracts.Resources;

namespace Platform.ApiServer.Auth.Rbac;

/// <summary>
/// RBAC's rule arithmetic, as Kubernetes defines it (<c>rbac/v1</c> helpers and the escalation check's
/// <c>Covers</c>): <c>*</c> matches any verb, group, resource or path; <c>pods</c> does not match <c>pods/log</c>, while
/// <c>*/scale</c> matches every <c>scale</c> subresource; <c>resourceNames</c> limit a rule to named objects, so such a
/// rule never allows a list, a watch or a create; a non-resource path ending in <c>*</c> is a prefix.
/// </summary>
internal static class PolicyRules
{
    public const string All = "*";

    public static bool Allows(PolicyRule rule, RequestAttributes a)
    {
        if (!Contains(rule.Verbs, a.Verb)) return false;
        if (!a.IsResourceRequest) return NonResourceMatches(rule.NonResourceURLs, a.Path!);
        return Contains(rule.ApiGroups, a.ApiGroup)
            && ResourceMatches(rule.Resources, a.QualifiedResource, a.Subresource)
            && (rule.ResourceNames is not { Count: > 0 } names || a.Name is not null && names.Contains(a.Name));
    }

    public static bool Allows(IEnumerable<PolicyRule> rules, RequestAttributes a) => rules.Any(r => Allows(r, a));

    /// <summary>
    /// The parts of <paramref name="requested"/> that <paramref name="owner"/> does not grant: each requested rule is
    /// broken into one verb on one resource (one name, one path), and each such piece must be granted by a single
    /// owner rule, wildcards only counting on the owner's side. Empty when the owner holds every permission asked for.
    /// </summary>
    public static List<PolicyRule> Uncovered(IReadOnlyCollection<PolicyRule> owner, IEnumerable<PolicyRule> requested)
    {
        var missing = new List<PolicyRule>();
        foreach (var piece in requested.SelectMany(Atomize))
            if (!owner.Any(o => Covers(o, piece))) missing.Add(piece);
        return missing;
    }

    /// <summary>Kubernetes' compact form: <c>{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}</c>.</summary>
    public static string Describe(PolicyRule r)
    {
        static string List(List<string> v) => "[" + string.Join(" ", v.Select(x => $"\"{x}\"")) + "]";
        var parts = new List<string>();
        if (r.ApiGroups is { Count: > 0 } g) parts.Add("APIGroups:" + List(g));
        if (r.Resources is { Count: > 0 } res) parts.Add("Resources:" + List(res));
        if (r.ResourceNames is { Count: > 0 } n) parts.Add("ResourceNames:" + List(n));
        if (r.NonResourceURLs is { Count: > 0 } u) parts.Add("NonResourceURLs:" + List(u));
        parts.Add("Verbs:" + List(r.Verbs ?? []));
        return "{" + string.Join(", ", parts) + "}";
    }

    private static IEnumerable<PolicyRule> Atomize(PolicyRule r)
    {
        foreach (var verb in r.Verbs ?? [])
        {
            foreach (var path in r.NonResourceURLs ?? [])
                yield return new PolicyRule { Verbs = [verb], NonResourceURLs = [path] };
            foreach (var group in r.ApiGroups ?? [])
            foreach (var resource in r.Resources ?? [])
            {
                if (r.ResourceNames is not { Count: > 0 } names)
                    yield return new PolicyRule { Verbs = [verb], ApiGroups = [group], Resources = [resource] };
                else
                    foreach (var name in names)
                        yield return new PolicyRule { Verbs = [verb], ApiGroups = [group], Resources = [resource], ResourceNames = [name] };
            }
        }
    }

    private static bool Covers(PolicyRule owner, PolicyRule piece)
    {
        if (!Contains(owner.Verbs, piece.Verbs![0])) return false;
        if (piece.NonResourceURLs is [var path]) return NonResourceMatches(owner.NonResourceURLs, path);
        var resource = piece.Resources![0];
        var slash = resource.IndexOf('/');
        return Contains(owner.ApiGroups, piece.ApiGroups![0])
            && ResourceMatches(owner.Resources, resource, slash < 0 ? null : resource[(slash + 1)..])
            && (owner.ResourceNames is not { Count: > 0 } names || piece.ResourceNames is [var name] && names.Contains(name));
    }

    private static bool Contains(List<string>? values, string value) =>
        values is not null && (values.Contains(All) || values.Contains(value));

    private static bool ResourceMatches(List<string>? resources, string qualified, string? subresource)
    {
        if (resources is null) return false;
        foreach (var r in resources)
        {
            if (r == All || r == qualified) return true;
            if (subresource is not null && r == "*/" + subresource) return true;
        }
        return false;
    }

    private static bool NonResourceMatches(List<string>? urls, string path)
    {
        if (urls is null) return false;
        foreach (var u in urls)
        {
            if (u == All || u == path) return true;
            if (u.EndsWith('*') && path.StartsWith(u[..^1], StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
