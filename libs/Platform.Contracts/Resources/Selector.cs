namespace Platform.Contracts.Resources;

/// <summary>
/// A parsed label selector: requirements ANDed together. Parses the string form of <c>?labelSelector=</c> and
/// <c>-l</c> (<c>app=web,tier in (front,edge),!canary,env notin (prod),track</c>) and converts the structured
/// <see cref="LabelSelector"/> of ReplicaSets and Deployments. An empty selector matches everything.
/// </summary>
public sealed class Selector
{
    public static Selector Everything { get; } = new([]);

    public IReadOnlyList<SelectorRequirement> Requirements { get; }

    public Selector(IReadOnlyList<SelectorRequirement> requirements) => Requirements = requirements;

    public bool IsEmpty => Requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string>? labels) => Requirements.All(r => r.Matches(labels));

    public override string ToString() => string.Join(',', Requirements);

    /// <summary>Parses the string form; throws <see cref="FormatException"/> saying where and why.</summary>
    public static Selector Parse(string? text) => new SelectorParser(text ?? "").Parse();

    public static bool TryParse(string? text, out Selector selector, out string? error)
    {
        try
        {
            selector = Parse(text);
            error = null;
            return true;
        }
        catch (FormatException ex)
        {
            selector = Everything;
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Converts <c>matchLabels</c> + <c>matchExpressions</c>; throws <see cref="FormatException"/> on an unknown operator.</summary>
    public static Selector FromLabelSelector(LabelSelector? selector)
    {
        if (selector is null) return Everything;
        var list = new List<SelectorRequirement>();
        foreach (var (k, v) in selector.MatchLabels ?? []) list.Add(new(k, SelectorOperator.Equals, [v ?? ""]));
        foreach (var e in selector.MatchExpressions ?? [])
        {
            if (e is null) throw new FormatException("a matchExpressions entry is null");
            var op = e.Operator switch
            {
                "In" => SelectorOperator.In,
                "NotIn" => SelectorOperator.NotIn,
                "Exists" => SelectorOperator.Exists,
                "DoesNotExist" => SelectorOperator.DoesNotExist,
                _ => throw new FormatException($"operator '{e.Operator}' is not one of In, NotIn, Exists, DoesNotExist"),
            };
            list.Add(new(e.Key ?? "", op, e.Values?.Select(v => v ?? "").ToList() ?? []));
        }
        return new Selector(list);
    }

    /// <summary>Equality requirements from a map (a Service's <c>selector</c>); null or empty matches everything.</summary>
    public static Selector FromMap(IReadOnlyDictionary<string, string>? labels) =>
        labels is null ? Everything : new Selector(labels.Select(kv => new SelectorRequirement(kv.Key, SelectorOperator.Equals, [kv.Value])).ToList());
}
