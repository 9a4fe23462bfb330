using System.Globalization;
using System.Text.RegularExpressions;

namespace Platform.Contracts.Resources.GatewayApi;

/// <summary>
/// Gateway API's Duration (GEP-2257): one to four parts of up to five digits with a unit <c>h</c>, <c>m</c>, <c>s</c> or
/// <c>ms</c>, as <c>1h</c>, <c>10s</c>, <c>500ms</c>, <c>1m30s</c> (the CRD's pattern <c>^([0-9]{1,5}(h|m|s|ms)){1,4}$</c>).
/// </summary>
public static partial class GatewayApiDuration
{
    [GeneratedRegex("^([0-9]{1,5}(h|ms|m|s)){1,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex Format();

    [GeneratedRegex("([0-9]{1,5})(h|ms|m|s)", RegexOptions.CultureInvariant)]
    private static partial Regex Part();

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text is null || !Format().IsMatch(text)) return false;
        foreach (Match m in Part().Matches(text))
        {
            var n = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            value += m.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "s" => TimeSpan.FromSeconds(n),
                _ => TimeSpan.FromMilliseconds(n),
            };
        }
        return true;
    }
}
