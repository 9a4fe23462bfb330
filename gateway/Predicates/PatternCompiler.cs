using System.Text;
using System.Text.RegularExpressions;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Predicates;

/// <summary>
/// Compiles Spring's path patterns (<c>/a/**</c>, <c>/a/{segment}</c>, <c>/a/{*rest}</c>, <c>*</c>, <c>?</c>,
/// <c>{name:regex}</c>) and host patterns (<c>**.example.org</c>, <c>{sub}.example.org</c>) to anchored regexes
/// whose named groups are the template variables.
/// </summary>
internal static partial class PatternCompiler
{
    public static Regex Compile(string pattern, char separator, string argument, TimeSpan timeout, bool matchTrailingSlash = true)
    {
        var sb = new StringBuilder("^");
        var sep = Regex.Escape(separator.ToString());
        var segments = pattern.Split(separator);
        for (var i = 0; i < segments.Length; i++)
        {
            var seg = segments[i];
            var last = i == segments.Length - 1;
            if (seg == "**")
            {
                // '/**' matches the prefix itself and anything below it; '**.' in hosts any number of labels.
                if (separator == '/') { if (!last) throw new GatewayArgumentException(argument, $"'**' is allowed only at the end of '{pattern}'"); sb.Append("(?:/.*)?"); }
                else sb.Append(i == 0 ? "(?:[^.]+\\.)*" : "(?:\\.[^.]+)*");
                continue;
            }
            if (seg.StartsWith("{*", StringComparison.Ordinal) && seg.EndsWith('}'))
            {
                if (!last) throw new GatewayArgumentException(argument, $"'{seg}' is allowed only at the end of '{pattern}'");
                sb.Append($"(?<{GroupName(seg[2..^1], argument)}>(?:/.*)?)");
                continue;
            }
            if (i > 0 && !(separator == '.' && segments[i - 1] == "**" && i == 1)) sb.Append(sep);
            AppendSegment(sb, seg, separator, argument, pattern);
        }
        if (separator == '/' && matchTrailingSlash && !pattern.EndsWith("**", StringComparison.Ordinal) && !pattern.EndsWith('/')) sb.Append("/?");
        sb.Append('$');
        try { return new Regex(sb.ToString(), RegexOptions.CultureInvariant | RegexOptions.Compiled | (separator == '.' ? RegexOptions.IgnoreCase : RegexOptions.None), timeout); }
        catch (ArgumentException ex) { throw new GatewayArgumentException(argument, $"invalid pattern '{pattern}': {ex.Message}"); }
    }

    private static void AppendSegment(StringBuilder sb, string seg, char separator, string argument, string pattern)
    {
        var notSep = separator == '/' ? "[^/]" : "[^.]";
        for (var j = 0; j < seg.Length; j++)
        {
            var c = seg[j];
            if (c == '{')
            {
                var close = seg.IndexOf('}', j);
                if (close < 0) throw new GatewayArgumentException(argument, $"unclosed '{{' in '{pattern}'");
                var body = seg[(j + 1)..close];
                var colon = body.IndexOf(':');
                var name = colon < 0 ? body : body[..colon];
                var regex = colon < 0 ? notSep + "+" : body[(colon + 1)..];
                sb.Append($"(?<{GroupName(name, argument)}>{regex})");
                j = close;
            }
            else if (c == '*') sb.Append(notSep).Append('*');
            else if (c == '?') sb.Append(notSep);
            else sb.Append(Regex.Escape(c.ToString()));
        }
    }

    private static string GroupName(string name, string argument) =>
        GroupNameRegex().IsMatch(name) ? name : throw new GatewayArgumentException(argument, $"variable name '{name}' must be a letter followed by letters, digits or '_'");

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex GroupNameRegex();

    /// <summary>The template variable names of a compiled pattern (its named groups).</summary>
    public static string[] VariableNames(Regex regex) => regex.GetGroupNames().Where(n => !char.IsDigit(n[0])).ToArray();

    /// <summary>Copies the named groups of a successful match into <paramref name="variables"/>.</summary>
    public static void CaptureVariables(string[] names, Match match, Microsoft.AspNetCore.Http.HttpContext context)
    {
        foreach (var name in names)
        {
            var g = match.Groups[name];
            if (g.Success) Routing.GatewayRequestState.Of(context).UriVariables[name] = g.Value.TrimStart('/');
        }
    }
}
