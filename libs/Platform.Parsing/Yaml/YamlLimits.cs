using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Platform.Parsing.Yaml;

/// <summary>
/// Checks a YAML text against a <see cref="YamlBudget"/> by walking its parser events (an iterative parser, no
/// recursion) before any tree is built: YamlDotNet's representation model recurses once per level, so a text of
/// <c>[</c> repeated 50,000 times overflows the stack, and aliases let a 1 KB text stand for 10^9 nodes
/// ("billion laughs") that any flattening of the tree then expands.
/// </summary>
public static class YamlLimits
{
    /// <summary>Throws <see cref="YamlLimitExceededException"/> at the first bound broken; malformed YAML throws <see cref="YamlException"/>.</summary>
    public static void Check(string text, YamlBudget budget)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(budget);
        var parser = new Parser(new StringReader(text));
        // Nodes each anchor stands for, aliases inside it expanded; anchors are scoped to their document.
        var anchorSizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var open = new Stack<(string? Anchor, long NodesBefore)>();
        long nodes = 0;
        var aliases = 0;
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            switch (current)
            {
                case DocumentStart:
                    anchorSizes.Clear();
                    break;
                case MappingStart or SequenceStart:
                    var anchor = ((NodeEvent)current).Anchor;
                    open.Push((anchor.IsEmpty ? null : anchor.Value, nodes));
                    nodes++;
                    if (open.Count > budget.MaxDepth)
                        throw Exceeded(YamlLimit.Depth, current, $"YAML nested deeper than {budget.MaxDepth} levels");
                    break;
                case MappingEnd or SequenceEnd:
                    var (name, before) = open.Pop();
                    if (name is not null) anchorSizes[name] = nodes - before;
                    break;
                case Scalar scalar:
                    nodes++;
                    if (!scalar.Anchor.IsEmpty) anchorSizes[scalar.Anchor.Value] = 1;
                    break;
                case AnchorAlias alias:
                    if (++aliases > budget.MaxAliases)
                        throw Exceeded(YamlLimit.Aliases, current, $"more than {budget.MaxAliases} YAML aliases");
                    if (open.Any(o => o.Anchor == alias.Value.Value))
                        throw Exceeded(YamlLimit.Depth, current, $"YAML alias *{alias.Value.Value} refers to a node that contains it (unbounded nesting)");
                    nodes += anchorSizes.GetValueOrDefault(alias.Value.Value, 1);
                    break;
            }
            if (nodes > budget.MaxNodes)
                throw Exceeded(YamlLimit.Nodes, current, $"more than {budget.MaxNodes} YAML nodes with aliases expanded");
        }
    }

    private static YamlLimitExceededException Exceeded(YamlLimit limit, ParsingEvent at, string reason) => new(limit, at.Start.Line, reason);
}
