using System.Globalization;
using Platform.Console.Gateway;

namespace Platform.Console.Pages;

/// <summary>How the routes page writes a route's figures: <c>—</c> where the last minute saw no request.</summary>
internal static class RouteFigureText
{
    private const string None = "—";

    public static string Rate(RouteFigures? f) => f?.RatePerSecond is { } r
        ? (r >= 10 ? r.ToString("0", CultureInfo.InvariantCulture) : r.ToString("0.##", CultureInfo.InvariantCulture)) + "/s"
        : None;

    public static string Ratio(double? ratio) => ratio is { } e ? (e * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %" : None;

    /// <summary>A histogram bound: <c>≤ 4 ms</c>; past the last finite bucket, says so.</summary>
    public static string Latency(double? seconds) => seconds switch
    {
        null => None,
        double.PositiveInfinity => "beyond the largest bucket",
        < 1 => "≤ " + (seconds.Value * 1000).ToString("0.#", CultureInfo.InvariantCulture) + " ms",
        _ => "≤ " + seconds.Value.ToString("0.##", CultureInfo.InvariantCulture) + " s",
    };
}
