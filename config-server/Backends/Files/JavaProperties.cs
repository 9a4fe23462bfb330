using System.Globalization;
using System.Text;

namespace Platform.ConfigServer.Backends.Files;

/// <summary>The <c>java.util.Properties</c> text format: <c>=</c>, <c>:</c> or blank separators, <c>#</c>/<c>!</c> comments, backslash continuations and escapes.</summary>
internal static class JavaProperties
{
    public static OrderedDictionary<string, object?> Parse(string text)
    {
        var result = new OrderedDictionary<string, object?>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimStart();
            if (line.Length == 0 || line[0] is '#' or '!') continue;
            // A line ending in an odd number of backslashes continues on the next line. Joined in a builder:
            // concatenating per line is quadratic, and a 1 MiB file of continuations would copy terabytes.
            if (EndsWithContinuation(line) && i + 1 < lines.Length)
            {
                var joined = new StringBuilder(line, 0, line.Length - 1, line.Length * 2);
                while (i + 1 < lines.Length)
                {
                    var next = lines[++i].TrimStart();
                    if (!EndsWithContinuation(next) || i + 1 >= lines.Length) { joined.Append(next); break; }
                    joined.Append(next, 0, next.Length - 1);
                }
                line = joined.ToString();
            }
            var (key, value) = Split(line);
            result[Unescape(key)] = Unescape(value);
        }
        return result;
    }

    private static bool EndsWithContinuation(string line)
    {
        var count = 0;
        for (var j = line.Length - 1; j >= 0 && line[j] == '\\'; j--) count++;
        return count % 2 == 1;
    }

    private static (string Key, string Value) Split(string line)
    {
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == '\\') { i += 2; continue; }
            if (c is '=' or ':' or ' ' or '\t' or '\f') break;
            i++;
        }
        var key = line[..Math.Min(i, line.Length)];
        var rest = i < line.Length ? line[i..] : "";
        rest = rest.TrimStart(' ', '\t', '\f');
        if (rest.Length > 0 && rest[0] is '=' or ':') rest = rest[1..].TrimStart(' ', '\t', '\f');
        return (key, rest);
    }

    private static string Unescape(string s)
    {
        if (!s.Contains('\\', StringComparison.Ordinal)) return s;
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\' || i + 1 >= s.Length) { sb.Append(s[i]); continue; }
            var c = s[++i];
            switch (c)
            {
                case 't': sb.Append('\t'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 'f': sb.Append('\f'); break;
                case 'u':
                    if (s.Length - i - 1 < 4 || !int.TryParse(s.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                        throw new FormatException($"malformed \\u escape in '{s}'");
                    sb.Append((char)code);
                    i += 4;
                    break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }
}
