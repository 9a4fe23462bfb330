namespace Platform.Parsing.Yaml;

/// <summary>Which <see cref="YamlBudget"/> bound a text broke.</summary>
public enum YamlLimit
{
    /// <summary>Nested too deeply, or an alias refers to a node that contains it (unbounded nesting).</summary>
    Depth,
    Aliases,
    Nodes,
}
