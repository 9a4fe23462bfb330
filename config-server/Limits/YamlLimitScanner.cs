using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Platform.ConfigServer.Limits;

/// <summary>
/// Walks a YAML text's parser events (an iterative parser, no recursion) before any tree is built: the tree
/// builder and the flattener recurse once per level, and aliases make a small text stand for a huge tree.
/// Rejects nesting deeper than <see cref="DocumentLimitsOptions.MaxDepth"/>, more than
/// <see cref="DocumentLimitsOptions.MaxYamlAliases"/> alias uses, more than
/// <see cref="DocumentLimitsOptions.MaxYamlNodes"/> nodes with aliases expanded, and an alias to a node that contains it.
/// </summary>
internal static class YamlLimitScanner
{
    public static void Check(string text, string location, DocumentLimitsOptions limits)
    {
        var parser = new Parser(new StringReader(text));
        // Nodes each anchor stands for, counting aliases inside it expanded; reset per document as anchors are.
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
                    if (open.Count > limits.MaxDepth)
                        throw new DocumentLimitException(nameof(limits.MaxDepth), At(location, current), $"YAML nested deeper than {limits.MaxDepth} levels");
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
                    if (++aliases > limits.MaxYamlAliases)
                        throw new DocumentLimitException(nameof(limits.MaxYamlAliases), At(location, current), $"more than {limits.MaxYamlAliases} YAML aliases");
                    if (open.Any(o => o.Anchor == alias.Value.Value))
                        throw new DocumentLimitException(nameof(limits.MaxDepth), At(location, current), $"YAML alias *{alias.Value.Value} refers to a node that contains it (unbounded nesting)");
                    nodes += anchorSizes.GetValueOrDefault(alias.Value.Value, 1);
                    break;
            }
            if (nodes > limits.MaxYamlNodes)
                throw new DocumentLimitException(nameof(limits.MaxYamlNodes), At(location, current), $"more than {limits.MaxYamlNodes} YAML nodes with aliases expanded");
        }
    }

    private static string At(string location, ParsingEvent e) => $"{location} line {e.Start.Line}";
}
