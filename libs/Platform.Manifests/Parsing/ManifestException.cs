namespace Platform.Manifests.Parsing;

/// <summary>A manifest that does not parse, with the 1-based line and column of the problem.</summary>
public sealed class ManifestException(string message, long line, long column) : Exception($"line {line}, column {column}: {message}")
{
    public long Line { get; } = line;
    public long Column { get; } = column;
}
