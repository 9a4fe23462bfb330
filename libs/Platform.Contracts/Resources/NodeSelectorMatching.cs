using System.Globalization;

namespace Platform.Contracts.Resources;

/// <summary>
/// A node selector as Kubernetes evaluates it against a node: terms ORed, a term's requirements ANDed, an empty term
/// matches nothing; operators In, NotIn, Exists, DoesNotExist, Gt, Lt on labels and on the field <c>metadata.name</c>.
/// The scheduler's preferred terms and the volume binder's node affinity of PersistentVolumes use it.
/// </summary>
public static class NodeSelectorMatching
{
    public static bool Matches(NodeSelector selector, string nodeName, IReadOnlyDictionary<string, string> labels) =>
        selector.NodeSelectorTerms.Any(t => TermMatches(t, nodeName, labels));

    public static bool TermMatches(NodeSelectorTerm term, string nodeName, IReadOnlyDictionary<string, string> labels)
    {
        var exprs = term.MatchExpressions ?? [];
        var fields = term.MatchFields ?? [];
        if (exprs.Count == 0 && fields.Count == 0) return false;
        foreach (var r in exprs)
            if (!RequirementMatches(r, labels.TryGetValue(r.Key ?? "", out var v), v)) return false;
        foreach (var r in fields)
        {
            if (r.Key != "metadata.name") return false;
            if (!RequirementMatches(r, true, nodeName)) return false;
        }
        return true;
    }

    public static bool RequirementMatches(NodeSelectorRequirement r, bool has, string? value)
    {
        var values = r.Values ?? [];
        return r.Operator switch
        {
            "In" => has && values.Contains(value!),
            "NotIn" => !has || !values.Contains(value!),
            "Exists" => has,
            "DoesNotExist" => !has,
            "Gt" => has && values.Count == 1 && Int(value) is { } a && Int(values[0]) is { } b && a > b,
            "Lt" => has && values.Count == 1 && Int(value) is { } c && Int(values[0]) is { } d && c < d,
            _ => false,
        };
    }

    private static long? Int(string? s) => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;
}
