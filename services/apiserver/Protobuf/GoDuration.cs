using System.Globalization;

namespace Platform.ApiServer.Protobuf;

/// <summary>Go's <c>time.Duration.String()</c>, the JSON form of meta/v1 Duration: <c>1h2m3.5s</c>, <c>1.5ms</c>, <c>0s</c>.</summary>
internal static class GoDuration
{
    public static string Format(long nanoseconds)
    {
        if (nanoseconds == 0) return "0s";
        var negative = nanoseconds < 0;
        var u = negative ? (ulong)-(nanoseconds + 1) + 1 : (ulong)nanoseconds;
        string text;
        if (u < 1_000_000_000)
        {
            var (unit, precision) = u < 1_000 ? ("ns", 0) : u < 1_000_000 ? ("µs", 3) : ("ms", 6);
            text = Fraction(u, precision) + unit;
        }
        else
        {
            var seconds = u / 1_000_000_000;
            text = Fraction((seconds % 60 * 1_000_000_000) + (u % 1_000_000_000), 9) + "s";
            var minutes = seconds / 60;
            if (minutes > 0)
            {
                text = (minutes % 60).ToString(CultureInfo.InvariantCulture) + "m" + text;
                var hours = minutes / 60;
                if (hours > 0) text = hours.ToString(CultureInfo.InvariantCulture) + "h" + text;
            }
        }
        return negative ? "-" + text : text;
    }

    /// <summary><paramref name="value"/> / 10^precision with the fraction's trailing zeros (and a bare point) dropped.</summary>
    private static string Fraction(ulong value, int precision)
    {
        var scale = 1UL;
        for (var i = 0; i < precision; i++) scale *= 10;
        var whole = (value / scale).ToString(CultureInfo.InvariantCulture);
        var fraction = value % scale;
        return fraction == 0 ? whole : whole + "." + fraction.ToString(CultureInfo.InvariantCulture).PadLeft(precision, '0').TrimEnd('0');
    }
}
