using System.Globalization;
using System.Text;

namespace Platform.ConfigServer.Environment;

/// <summary>
/// Resolves <c>${name}</c> and <c>${name:default}</c> placeholders (nested, e.g. <c>${a:${b}}</c>) against the
/// merged properties. An unresolvable placeholder without a default is left as written, as Spring's
/// lenient resolver does; a reference cycle is left unresolved instead of recursing forever.
/// </summary>
internal static class PlaceholderResolver
{
    private const int MaxDepth = 32;

    public static OrderedDictionary<string, object?> Resolve(OrderedDictionary<string, object?> properties)
    {
        var result = new OrderedDictionary<string, object?>();
        foreach (var (key, value) in properties)
            result[key] = value is string s && s.Contains("${", StringComparison.Ordinal) ? ResolveText(s, properties, 0) : value;
        return result;
    }

    public static string ResolveText(string text, IReadOnlyDictionary<string, object?> properties, int depth)
    {
        if (depth > MaxDepth) return text;
        var sb = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var start = text.IndexOf("${", i, StringComparison.Ordinal);
            if (start < 0) { sb.Append(text, i, text.Length - i); break; }
            sb.Append(text, i, start - i);
            var end = FindClose(text, start + 2);
            if (end < 0) { sb.Append(text, start, text.Length - start); break; }
            var inner = ResolveText(text[(start + 2)..end], properties, depth + 1);
            var colon = inner.IndexOf(':', StringComparison.Ordinal);
            var name = colon >= 0 ? inner[..colon] : inner;
            if (properties.TryGetValue(name, out var found) && found is not null)
                sb.Append(ResolveText(Format(found), properties, depth + 1));
            else if (colon >= 0)
                sb.Append(inner[(colon + 1)..]);
            else
                sb.Append("${").Append(inner).Append('}');
            i = end + 1;
        }
        return sb.ToString();
    }

    public static string Format(object value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

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
