namespace Platform.Contracts.Resources;

/// <summary>
/// How an aggregated ClusterRole's rules follow from the others (Kubernetes' clusterrole-aggregation controller): the
/// rules of every other ClusterRole whose labels match one of its <c>clusterRoleSelectors</c>, in name order, each rule
/// once. Aggregation chains (<c>view</c> is aggregated into <c>edit</c>, <c>edit</c> into <c>admin</c>) settle as each
/// role is recomputed after the ones it gathers from.
/// </summary>
public static class ClusterRoleAggregation
{
    /// <summary>The rules <paramref name="role"/> should hold, or null when it is not aggregated.</summary>
    public static List<PolicyRule>? RulesOf(ClusterRole role, IEnumerable<ClusterRole> all)
    {
        if (role.AggregationRule?.ClusterRoleSelectors is not { } selectors) return null;
        var parsed = selectors.Select(Selector.FromLabelSelector).ToList();
        var rules = new List<PolicyRule>();
        foreach (var other in all.Where(r => r.Metadata.Name != role.Metadata.Name).OrderBy(r => r.Metadata.Name, StringComparer.Ordinal))
        {
            // An empty selector would gather every role; Kubernetes' controller matches nothing with it either.
            if (!parsed.Any(s => s.Requirements.Count > 0 && s.Matches(other.Metadata.Labels))) continue;
            foreach (var rule in other.Rules ?? [])
                if (!rules.Any(r => SameRule(r, rule))) rules.Add(rule);
        }
        return rules;
    }

    /// <summary>Aggregates every aggregated role of <paramref name="roles"/> until nothing changes (at most one round per role).</summary>
    public static List<ClusterRole> Settle(IEnumerable<ClusterRole> roles)
    {
        var list = roles.ToList();
        for (var round = 0; round < list.Count; round++)
        {
            var changed = false;
            for (var i = 0; i < list.Count; i++)
            {
                if (RulesOf(list[i], list) is not { } rules || SameRules(rules, list[i].Rules)) continue;
                list[i] = list[i] with { Rules = rules };
                changed = true;
            }
            if (!changed) break;
        }
        return list;
    }

    public static bool SameRules(IReadOnlyList<PolicyRule>? a, IReadOnlyList<PolicyRule>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? []).Zip(b ?? []).All(p => SameRule(p.First, p.Second));

    public static bool SameRule(PolicyRule a, PolicyRule b) =>
        Same(a.Verbs, b.Verbs) && Same(a.ApiGroups, b.ApiGroups) && Same(a.Resources, b.Resources)
        && Same(a.ResourceNames, b.ResourceNames) && Same(a.NonResourceURLs, b.NonResourceURLs);

    private static bool Same(List<string>? a, List<string>? b) => (a ?? []).SequenceEqual(b ?? []);
}
