using System.Globalization;

namespace Platform.Console.Gateway;

/// <summary>One sample of the Prometheus text exposition format: <c>name{label="value",...} 12.5</c>.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// Reads the Prometheus text format (version 0.0.4) as prometheus-net writes it: comment lines skipped, label values
/// with <c>\"</c>, <c>\\</c> and <c>\n</c> escapes, an optional timestamp after the value. A line it cannot read is
/// skipped, not fatal: the page shows the figures it could read.
/// </summary>
internal static class PrometheusText
{
    public static IEnumerable<PrometheusSample> Parse(string text, Func<string, bool> wanted)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#') continue;
            var nameEnd = line.IndexOfAny(['{', ' ']);
            if (nameEnd <= 0) continue;
            var name = line[..nameEnd];
            if (!wanted(name)) continue;
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var i = nameEnd;
            if (line[i] == '{' && !ReadLabels(line, ref i, labels)) continue;
            var rest = line[i..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (rest.Length == 0 || !TryValue(rest[0], out var value)) continue;
            yield return new PrometheusSample(name, labels, value);
        }
    }

    private static bool TryValue(string s, out double value) => s switch
    {
        "+Inf" => (value = double.PositiveInfinity) == value,
        "-Inf" => (value = double.NegativeInfinity) == value,
        _ => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value),
    };

    /// <summary>Reads <c>{a="x",b="y"}</c> from <paramref name="i"/> (at the brace); leaves <paramref name="i"/> after the closing brace.</summary>
    private static bool ReadLabels(string line, ref int i, Dictionary<string, string> labels)
    {
        i++;
        while (i < line.Length)
        {
            if (line[i] == '}') { i++; return true; }
            if (line[i] == ',' || line[i] == ' ') { i++; continue; }
            var eq = line.IndexOf('=', i);
            if (eq < 0 || eq + 1 >= line.Length || line[eq + 1] != '"') return false;
            var key = line[i..eq];
            var value = new System.Text.StringBuilder();
            var j = eq + 2;
            for (; j < line.Length && line[j] != '"'; j++)
            {
                if (line[j] == '\\' && j + 1 < line.Length)
                {
                    j++;
                    value.Append(line[j] == 'n' ? '\n' : line[j]);
                }
                else value.Append(line[j]);
            }
            if (j >= line.Length) return false;
            labels[key] = value.ToString();
            i = j + 1;
        }
        return false;
    }
}
