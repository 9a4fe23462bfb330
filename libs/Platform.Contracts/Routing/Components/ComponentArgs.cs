using System.Globalization;

namespace Platform.Contracts.Routing;

/// <summary>
/// The arguments of one predicate or filter, looked up with Spring's relaxed binding (case, dashes and
/// underscores ignored: <c>replenish-rate</c> = <c>replenishRate</c>). Accessors throw
/// <see cref="GatewayArgumentException"/> naming the argument.
/// </summary>
public sealed class ComponentArgs
{
    private readonly Dictionary<string, (string Key, string Value)> _values = new(StringComparer.Ordinal);

    public ComponentArgs(ComponentDefinition definition, IReadOnlyList<string> shortcutFields, ShortcutType type)
    {
        Name = definition.Name;
        var positional = definition.Shortcut.ToList();
        foreach (var (key, value) in definition.Args)
        {
            // Spring writes shortcut values given in object form as _genkey_N.
            if (key.StartsWith("_genkey_", StringComparison.OrdinalIgnoreCase)) positional.Add(value);
            else _values[Normalize(key)] = (key, value);
        }
        if (positional.Count == 0) return;
        if (type == ShortcutType.GatherListTailFlag && shortcutFields.Count > 1 && positional.Count > 1
            && bool.TryParse(positional[^1], out _))
        {
            _values[Normalize(shortcutFields[1])] = (shortcutFields[1], positional[^1]);
            positional.RemoveAt(positional.Count - 1);
        }
        if (type is ShortcutType.GatherList or ShortcutType.GatherListTailFlag && shortcutFields.Count > 0)
        {
            _values[Normalize(shortcutFields[0])] = (shortcutFields[0], string.Join(",", positional));
            return;
        }
        if (positional.Count > shortcutFields.Count && !(positional.Count == 1 && positional[0].Length == 0))
            throw new GatewayArgumentException(
                shortcutFields.Count > 0 ? shortcutFields[^1] : "args",
                $"expected at most {shortcutFields.Count} value(s) ({string.Join(", ", shortcutFields)}), got {positional.Count}");
        for (var i = 0; i < positional.Count && i < shortcutFields.Count; i++)
            _values[Normalize(shortcutFields[i])] = (shortcutFields[i], positional[i]);
    }

    public string Name { get; }

    public IEnumerable<KeyValuePair<string, string>> All => _values.Values.Select(v => KeyValuePair.Create(v.Key, v.Value));

    public static string Normalize(string key) =>
        string.Concat(key.Where(c => c is not ('-' or '_'))).ToLowerInvariant();

    public string? Find(string name) => _values.TryGetValue(Normalize(name), out var v) ? v.Value : null;

    /// <summary>The first of several accepted names that is present (Spring renamed some, e.g. <c>pattern</c>/<c>patterns</c>).</summary>
    public string? FindAny(params string[] names) => names.Select(Find).FirstOrDefault(v => v is not null);

    public string Required(string name) =>
        Find(name) is { Length: > 0 } v ? v : throw new GatewayArgumentException(name, "required");

    public IReadOnlyList<string> List(string name, bool required = true)
    {
        var raw = Find(name);
        if (string.IsNullOrWhiteSpace(raw))
            return required ? throw new GatewayArgumentException(name, "required") : [];
        return raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    public int Int(string name, int? fallback = null, int min = int.MinValue)
    {
        var raw = Find(name);
        if (raw is null) return fallback ?? throw new GatewayArgumentException(name, "required");
        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            throw new GatewayArgumentException(name, $"'{raw}' is not an integer");
        return v >= min ? v : throw new GatewayArgumentException(name, $"must be >= {min}");
    }

    public double Double(string name, double fallback)
    {
        var raw = Find(name);
        if (raw is null) return fallback;
        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v : throw new GatewayArgumentException(name, $"'{raw}' is not a number");
    }

    public bool Bool(string name, bool fallback)
    {
        var raw = Find(name);
        if (raw is null) return fallback;
        return bool.TryParse(raw, out var v) ? v : throw new GatewayArgumentException(name, $"'{raw}' is not true or false");
    }

    public TimeSpan Duration(string name, TimeSpan fallback)
    {
        var raw = Find(name);
        if (raw is null) return fallback;
        return Durations.TryParse(raw, out var v) ? v : throw new GatewayArgumentException(name, $"'{raw}' is not a duration (e.g. 50ms, 2s, PT1S)");
    }
}
