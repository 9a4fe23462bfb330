using System.Globalization;
using System.Xml;

namespace Platform.Contracts.Routing;

/// <summary>Spring's duration formats: plain milliseconds, <c>50ms</c>/<c>2s</c>/<c>1m</c>/<c>1h</c>, or ISO-8601 <c>PT1S</c>.</summary>
public static class Durations
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var s = text.Trim();
        if (s.Length == 0) return false;
        if (s.StartsWith('P') || s.StartsWith('p'))
        {
            try { value = XmlConvert.ToTimeSpan(s.ToUpperInvariant()); return true; }
            catch (FormatException) { return false; }
        }
        var unitStart = s.Length;
        while (unitStart > 0 && char.IsLetter(s[unitStart - 1])) unitStart--;
        if (!double.TryParse(s[..unitStart], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0) return false;
        TimeSpan? result = s[unitStart..].ToLowerInvariant() switch
        {
            "" or "ms" => TimeSpan.FromMilliseconds(n),
            "ns" => TimeSpan.FromMilliseconds(n / 1_000_000),
            "us" => TimeSpan.FromMilliseconds(n / 1000),
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            _ => null,
        };
        if (result is null) return false;
        value = result.Value;
        return true;
    }

    /// <summary>Spring's <c>DataSize</c>: bytes, or with a <c>B</c>/<c>KB</c>/<c>MB</c>/<c>GB</c> suffix.</summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var s = text.Trim().ToUpperInvariant();
        var unitStart = s.Length;
        while (unitStart > 0 && char.IsLetter(s[unitStart - 1])) unitStart--;
        if (!long.TryParse(s[..unitStart], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 0) return false;
        long? factor = s[unitStart..] switch { "" or "B" => 1, "KB" => 1024, "MB" => 1024 * 1024, "GB" => 1024L * 1024 * 1024, _ => null };
        if (factor is null) return false;
        bytes = n * factor.Value;
        return true;
    }
}
