using System.Globalization;
using System.Text.RegularExpressions;

namespace Platform.Ctl.Commands;

/// <summary>Durations as kubectl's flags take them (Go's syntax): <c>0</c>, <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>500ms</c>.</summary>
public static partial class DurationText
{
    [GeneratedRegex(@"\G(\d+(?:\.\d+)?)(ms|h|m|s)")]
    private static partial Regex Part();

    public static TimeSpan Parse(string option, string text)
    {
        if (text == "0") return TimeSpan.Zero;
        var total = TimeSpan.Zero;
        var at = 0;
        for (var m = Part().Match(text); m.Success && m.Index == at; m = m.NextMatch())
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += m.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "s" => TimeSpan.FromSeconds(n),
                _ => TimeSpan.FromMilliseconds(n),
            };
            at += m.Length;
        }
        if (at != text.Length || text.Length == 0) throw new CtlException($"{option}: '{text}' is not a duration (e.g. 90s, 5m, 1h30m; 0 waits forever)");
        return total;
    }
}
