using System.Globalization;

namespace Platform.Contracts.Routing;

/// <summary>The date-time arguments of After, Before and Between.</summary>
public static class DateTimeArg
{
    /// <summary>Java's <c>ZonedDateTime</c> text (<c>2017-01-20T17:42:47.789-07:00[America/Denver]</c>): the offset decides, the zone id is dropped.</summary>
    public static DateTimeOffset Parse(ComponentArgs args, string name)
    {
        var raw = args.Required(name);
        var text = raw.Contains('[', StringComparison.Ordinal) ? raw[..raw.IndexOf('[', StringComparison.Ordinal)] : raw;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epochMs))
            return DateTimeOffset.FromUnixTimeMilliseconds(epochMs);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var v)
            ? v : throw new GatewayArgumentException(name, $"'{raw}' is not a date-time like 2017-01-20T17:42:47.789-07:00[America/Denver]");
    }
}
