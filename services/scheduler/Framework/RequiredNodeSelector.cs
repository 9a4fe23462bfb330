using System.Globalization;
using Platform.Contracts.Resources;

namespace Platform.Scheduler.Framework;

/// <summary>
/// A pod's <c>nodeSelector</c> and required node affinity compiled once per pod (value sets, parsed numbers), so
/// checking a node is a few dictionary lookups: the filter runs for hundreds of nodes per pod.
/// Semantics as in Kubernetes: terms ORed, requirements ANDed, an empty term matches nothing.
/// </summary>
internal sealed class RequiredNodeSelector
{
    private readonly KeyValuePair<string, string>[] _selector;
    private readonly Requirement[][]? _terms;

    public RequiredNodeSelector(PodSpec spec)
    {
        _selector = spec.NodeSelector?.ToArray() ?? [];
        _terms = spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms
            .Select(t => (t.MatchExpressions ?? []).Select(r => Requirement.From(r, field: false))
                .Concat((t.MatchFields ?? []).Select(r => Requirement.From(r, field: true))).ToArray())
            .ToArray();
    }

    public bool IsEmpty => _selector.Length == 0 && _terms is null;

    public bool Matches(NodeInfo node)
    {
        foreach (var (k, v) in _selector)
            if (!node.Labels.TryGetValue(k, out var actual) || actual != v) return false;
        if (_terms is null) return true;
        foreach (var term in _terms)
            if (term.Length > 0 && All(term, node)) return true;
        return false;
    }

    private static bool All(Requirement[] term, NodeInfo node)
    {
        foreach (var r in term)
            if (!r.Matches(node)) return false;
        return true;
    }

    private sealed record Requirement(string Key, string? Operator, HashSet<string> Values, long? Number, bool Field)
    {
        public static Requirement From(NodeSelectorRequirement r, bool field)
        {
            var values = (r.Values ?? []).ToHashSet(StringComparer.Ordinal);
            long? number = r.Values is [var only] && long.TryParse(only, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
            return new(r.Key ?? "", r.Operator, values, number, field);
        }

        public bool Matches(NodeInfo node)
        {
            string? value;
            bool has;
            if (Field)
            {
                if (Key != "metadata.name") return false;
                (has, value) = (true, node.Name);
            }
            else has = node.Labels.TryGetValue(Key, out value);
            return Operator switch
            {
                "In" => has && Values.Contains(value!),
                "NotIn" => !has || !Values.Contains(value!),
                "Exists" => has,
                "DoesNotExist" => !has,
                "Gt" => has && Number is { } g && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var a) && a > g,
                "Lt" => has && Number is { } l && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var b) && b < l,
                _ => false,
            };
        }
    }
}
