using System.Globalization;
using System.Text.RegularExpressions;

namespace Platform.ControllerManager.Controllers.HorizontalPodAutoscaler;

/// <summary>Reads a Go duration (<c>15.2s</c>, <c>1m0.5s</c>, <c>500ms</c>), as metrics.k8s.io writes <c>window</c>; zero when absent or unreadable.</summary>
internal static partial class GoDurationParser
{
    public static TimeSpan Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return TimeSpan.Zero;
        var total = 0.0;
        foreach (Match m in Part().Matches(text))
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += m.Groups[2].Value switch { "h" => n * 3600, "m" => n * 60, "s" => n, "ms" => n / 1e3, "us" or "µs" => n / 1e6, _ => n / 1e9 };
        }
        return TimeSpan.FromSeconds(total);
    }

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?)(h|ms|us|µs|ns|m|s)")]
    private static partial Regex Part();
}
