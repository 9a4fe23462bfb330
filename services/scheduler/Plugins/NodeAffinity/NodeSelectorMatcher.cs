using System.Globalization;
using Platform.Contracts.Resources;

namespace Platform.Scheduler.Plugins.NodeAffinity;

/// <summary>
/// Node selector terms as Kubernetes evaluates them: terms ORed, requirements within a term ANDed, an empty term
/// matches nothing; operators In, NotIn, Exists, DoesNotExist, Gt, Lt on labels and In/NotIn on <c>metadata.name</c>.
/// </summary>
internal static class NodeSelectorMatcher
{
    /// <summary>Whether the pod's <c>nodeSelector</c> and required node affinity both accept the node.</summary>
    public static bool RequiredMatches(Pod pod, NodeInfo node)
    {
        if (pod.Spec.NodeSelector is { Count: > 0 } sel)
            foreach (var (k, v) in sel)
                if (!node.Labels.TryGetValue(k, out var actual) || actual != v) return false;
        var required = pod.Spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        return required is null || required.NodeSelectorTerms.Any(t => TermMatches(t, node));
    }

    public static bool HasRequired(Pod pod) =>
        pod.Spec.NodeSelector is { Count: > 0 } || pod.Spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution is not null;

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
