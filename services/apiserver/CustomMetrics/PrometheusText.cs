using System.Globalization;
using System.Text;

namespace Platform.ApiServer.CustomMetrics;

/// <summary>One sample of a Prometheus text exposition: metric name, labels and value.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// Parses the Prometheus text exposition format (version 0.0.4, what prometheus-net and every Prometheus client
/// serve): <c>name{label="value",...} value [timestamp]</c> lines, <c># HELP</c>/<c># TYPE</c> comments skipped.
/// Bounded: at most <see cref="MaxSamples"/> samples, <see cref="MaxLabels"/> labels a sample and
/// <see cref="MaxLineLength"/> characters a line; a malformed line throws <see cref="FormatException"/> naming it,
/// so one bad target never yields half a reading.
/// </summary>
internal static class PrometheusText
{
    public const int MaxSamples = 100_000;
    public const int MaxLabels = 64;
    public const int MaxLineLength = 65_536;

    public static List<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        var lineNumber = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.IsEmpty || line[0] == '#') continue;
            if (line.Length > MaxLineLength) throw new FormatException($"line {lineNumber}: longer than {MaxLineLength} characters");
            if (samples.Count == MaxSamples) throw new FormatException($"more than {MaxSamples} samples");
            samples.Add(ParseLine(line.ToString(), lineNumber));
        }
        return samples;
    }

    private static PrometheusSample ParseLine(string line, int number)
    {
        var i = 0;
        while (i < line.Length && IsNameChar(line[i], i == 0)) i++;
        if (i == 0) throw new FormatException($"line {number}: expected a metric name");
        var name = line[..i];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{') i = ParseLabels(line, i + 1, labels, number);
        var rest = line[i..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length is 0 or > 2) throw new FormatException($"line {number}: expected a value after {name}");
        return new PrometheusSample(name, labels, ParseValue(rest[0], number));
    }

    private static int ParseLabels(string line, int i, Dictionary<string, string> labels, int number)
    {
        while (true)
        {
            while (i < line.Length && (line[i] == ' ' || line[i] == ',')) i++;
            if (i < line.Length && line[i] == '}') return i + 1;
            var start = i;
            while (i < line.Length && IsNameChar(line[i], i == start) && line[i] != ':') i++;
            if (i == start || i + 1 >= line.Length || line[i] != '=' || line[i + 1] != '"')
                throw new FormatException($"line {number}: malformed label at column {start + 1}");
            var key = line[start..i];
            i += 2;
            var value = new StringBuilder();
            while (true)
            {
                if (i >= line.Length) throw new FormatException($"line {number}: unterminated value of label {key}");
                var c = line[i++];
                if (c == '"') break;
                if (c != '\\') { value.Append(c); continue; }
                if (i >= line.Length) throw new FormatException($"line {number}: unterminated value of label {key}");
                var escaped = line[i++];
                value.Append(escaped switch { 'n' => '\n', '\\' => '\\', '"' => '"', _ => throw new FormatException($"line {number}: bad escape \\{escaped} in label {key}") });
            }
            if (labels.Count == MaxLabels) throw new FormatException($"line {number}: more than {MaxLabels} labels");
            labels[key] = value.ToString();
        }
    }

    private static double ParseValue(string text, int number) => text switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"line {number}: \"{Shorten(text)}\" is not a number"),
    };

    private static bool IsNameChar(char c, bool first) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_' or ':' || !first && c is >= '0' and <= '9';

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
