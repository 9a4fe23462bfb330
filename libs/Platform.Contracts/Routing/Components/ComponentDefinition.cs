namespace Platform.Contracts.Routing;

/// <summary>
/// One predicate or filter of a route as written: either Spring's shortcut (<c>AddRequestHeader=a, b</c>, kept as
/// positional <see cref="Shortcut"/> values) or the <c>name</c>/<c>args</c> form (<see cref="Args"/>, nested keys
/// flattened with dots, lists joined with commas). Factories resolve positional values to their field names.
/// </summary>
public sealed record ComponentDefinition(string Name, IReadOnlyDictionary<string, string> Args, IReadOnlyList<string> Shortcut)
{
    private static readonly IReadOnlyDictionary<string, string> NoArgs = new Dictionary<string, string>();

    /// <summary>Parses <c>Name=a, b</c> (values split on commas and trimmed) or a bare <c>Name</c>.</summary>
    public static ComponentDefinition ParseShortcut(string text)
    {
        var eq = text.IndexOf('=');
        if (eq < 0) return new(text.Trim(), NoArgs, []);
        var values = text[(eq + 1)..].Split(',').Select(v => v.Trim()).ToArray();
        return new(text[..eq].Trim(), NoArgs, values);
    }

    public override string ToString() => Shortcut.Count > 0
        ? $"{Name}={string.Join(", ", Shortcut)}"
        : Args.Count > 0 ? $"{Name}({string.Join(", ", Args.Select(a => $"{a.Key}={a.Value}"))})" : Name;
}
