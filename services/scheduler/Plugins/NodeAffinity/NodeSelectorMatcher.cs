using System.Globalization;
using Platform.Contracts.Resources;

namespace Platform.Scheduler.Plugins.NodeAffinity;

/// <summary>
/// A preferred term as Kubernetes evaluates it: requirements ANDed, an empty term matches nothing; operators In, NotIn,
/// Exists, DoesNotExist, Gt, Lt on labels and on <c>metadata.name</c>. Required terms use the compiled <see cref="RequiredNodeSelector"/>.
/// </summary>
internal static class NodeSelectorMatcher
{
    public static bool TermMatches(NodeSelectorTerm term, NodeInfo node)
    {
        var exprs = term.MatchExpressions ?? [];
        var fields = term.MatchFields ?? [];
        if (exprs.Count == 0 && fields.Count == 0) return false;
        foreach (var r in exprs)
            if (!RequirementMatches(r, node.Labels.TryGetValue(r.Key ?? "", out var v), v)) return false;
        foreach (var r in fields)
        {
            if (r.Key != "metadata.name") return false;
            if (!RequirementMatches(r, true, node.Name)) return false;
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
