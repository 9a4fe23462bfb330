using System.Globalization;
using System.Text;
using Platform.ConfigServer.Limits;

namespace Platform.ConfigServer.Environment;

/// <summary>
/// Resolves <c>${name}</c> and <c>${name:default}</c> placeholders (nested, e.g. <c>${a:${b}}</c>) against the
/// merged properties of one response. An unresolvable placeholder without a default is left as written, as
/// Spring's lenient resolver does, and so is a reference back to a property being resolved (a cycle).
/// Chains like <c>a=${b}${b}</c>, <c>b=${c}${c}</c> grow exponentially, so the work is bounded: nesting by
/// <see cref="DocumentLimitsOptions.MaxPlaceholderDepth"/>, each value by
/// <see cref="DocumentLimitsOptions.MaxResolvedValueLength"/> characters (intermediate results and substitutions
/// counted) and the response by <see cref="DocumentLimitsOptions.MaxResolvedTotalLength"/>.
/// </summary>
internal sealed class PlaceholderResolver(IReadOnlyDictionary<string, object?> properties, DocumentLimitsOptions limits)
{
    private readonly List<string> _resolving = [];
    private long _total;
    private long _valueUsed;
    private long _valueLimit;
    private string _location = "";

    /// <summary>Every value of <paramref name="merged"/> resolved against the map itself.</summary>
    public static OrderedDictionary<string, object?> ResolveAll(OrderedDictionary<string, object?> merged, DocumentLimitsOptions limits)
    {
        var resolver = new PlaceholderResolver(merged, limits);
        var result = new OrderedDictionary<string, object?>();
        foreach (var (key, value) in merged)
            result[key] = value is string s && s.Contains("${", StringComparison.Ordinal) ? resolver.ResolveValue(key, s, self: true) : value;
        return result;
    }

    /// <summary>
    /// Resolves one property value; <paramref name="key"/> names it in errors. With <paramref name="self"/> the key is
    /// a property of the map, so a reference to it from inside its own value is a cycle.
    /// </summary>
    public string ResolveValue(string key, string text, bool self = false)
    {
        if (self) _resolving.Add(key);
        try
        {
            return Resolve(key, text, limits.MaxResolvedValueLength);
        }
        finally
        {
            _resolving.Clear();
        }
    }

    /// <summary>Resolves a whole plain-text file, bounded by the response budget rather than a value's.</summary>
    public string ResolveText(string location, string text) => Resolve(location, text, limits.MaxResolvedTotalLength);

    public static string Format(object value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private string Resolve(string location, string text, long valueLimit)
    {
        _location = location;
        _valueUsed = 0;
        _valueLimit = valueLimit;
        var resolved = ResolveNested(text, 0);
        _total += resolved.Length;
        if (_total > limits.MaxResolvedTotalLength)
            throw new DocumentLimitException(nameof(limits.MaxResolvedTotalLength), location,
                $"placeholder resolution for this response produced more than {limits.MaxResolvedTotalLength} characters");
        return resolved;
    }

    private string ResolveNested(string text, int depth)
    {
        if (depth > limits.MaxPlaceholderDepth)
            throw new DocumentLimitException(nameof(limits.MaxPlaceholderDepth), _location,
                $"placeholders nested or chained deeper than {limits.MaxPlaceholderDepth} levels");
        var sb = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var start = text.IndexOf("${", i, StringComparison.Ordinal);
            if (start < 0) { Append(sb, text.AsSpan(i)); break; }
            Append(sb, text.AsSpan(i, start - i));
            var end = FindClose(text, start + 2);
            if (end < 0) { Append(sb, text.AsSpan(start)); break; }
            var inner = ResolveNested(text[(start + 2)..end], depth + 1);
            var colon = inner.IndexOf(':', StringComparison.Ordinal);
            var name = colon >= 0 ? inner[..colon] : inner;
            // Each substitution costs one unit even when it yields nothing, so chains of empty values stay bounded too.
            Charge(1);
            if (properties.TryGetValue(name, out var found) && found is not null && !_resolving.Contains(name))
            {
                _resolving.Add(name);
                Append(sb, ResolveNested(Format(found), depth + 1));
                _resolving.RemoveAt(_resolving.Count - 1);
            }
            else if (colon >= 0 && found is null)
                Append(sb, inner.AsSpan(colon + 1));
            else
                Append(sb, "${" + inner + "}");
            i = end + 1;
        }
        return sb.ToString();
    }

    private void Append(StringBuilder sb, ReadOnlySpan<char> chunk)
    {
        Charge(chunk.Length);
        sb.Append(chunk);
    }

    private void Charge(int units)
    {
        _valueUsed += units;
        if (_valueUsed > _valueLimit)
            throw new DocumentLimitException(nameof(limits.MaxResolvedValueLength), _location,
                $"placeholder resolution produced more than {_valueLimit} characters");
    }

    private static int FindClose(string text, int from)
    {
        var depth = 0;
        for (var i = from; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{') { depth++; i++; }
            else if (text[i] == '}')
            {
                if (depth == 0) return i;
                depth--;
            }
        }
        return -1;
    }
}
