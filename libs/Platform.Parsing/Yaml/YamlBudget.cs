namespace Platform.Parsing.Yaml;

/// <summary>How much structure one YAML text may have before a tree is built from it.</summary>
/// <param name="MaxDepth">Deepest nesting of mappings and sequences.</param>
/// <param name="MaxAliases">Most alias uses (<c>*name</c>).</param>
/// <param name="MaxNodes">Most nodes, counting each alias as the nodes it stands for.</param>
public sealed record YamlBudget(int MaxDepth, int MaxAliases, int MaxNodes)
{
    /// <summary>Depth 64, 1,000 aliases, 100,000 nodes: far above any configuration file, far below a crash.</summary>
    public static YamlBudget Default { get; } = new(64, 1000, 100_000);
}
