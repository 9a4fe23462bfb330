namespace Platform.Parsing.Yaml;

/// <summary>A YAML text broke a <see cref="YamlBudget"/> bound at <see cref="Line"/>.</summary>
public sealed class YamlLimitExceededException(YamlLimit limit, long line, string reason)
    : FormatException($"line {line}: {reason}")
{
    public YamlLimit Limit { get; } = limit;

    public long Line { get; } = line;

    /// <summary>What was exceeded, without the line (e.g. <c>YAML nested deeper than 64 levels</c>).</summary>
    public string Reason { get; } = reason;
}
