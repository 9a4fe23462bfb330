using System.Globalization;

namespace Platform.Contracts.Resources;

/// <summary>
/// Kubernetes quantities: a decimal number with an optional suffix, binary (<c>Ki Mi Gi Ti Pi Ei</c>),
/// decimal SI (<c>n u m k M G T P E</c>) or an exponent (<c>1e3</c>). <c>100m</c> = 0.1, <c>128Mi</c> = 134217728.
/// </summary>
public static class Quantity
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("k", 1000m), ("M", 1000_000m),
        ("G", 1000_000_000m), ("T", 1000_000_000_000m), ("P", 1000_000_000_000_000m), ("E", 1000_000_000_000_000_000m),
    ];

    /// <summary>Parses <paramref name="text"/>; false when it is not a quantity (empty, negative sign misplaced, unknown suffix, overflow).</summary>
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64) return false;
        var s = text.Trim();
        var factor = 1m;
        foreach (var (suffix, f) in Suffixes)
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal) && s.Length > suffix.Length && char.IsDigit(s[^(suffix.Length + 1)]))
            {
                s = s[..^suffix.Length];
                factor = f;
                break;
            }
        }
        var exponent = 0;
        var e = s.IndexOfAny(['e', 'E']);
        if (e > 0)
        {
            if (factor != 1m || !int.TryParse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) || Math.Abs(exponent) > 18)
                return false;
            s = s[..e];
        }
        if (s.Length == 0 || !(char.IsDigit(s[0]) || s[0] is '+' or '-' or '.')) return false;
        if (!decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            return false;
        try
        {
            value = number * factor;
            for (var i = 0; i < Math.Abs(exponent); i++) value = exponent > 0 ? value * 10 : value / 10;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>Parses <paramref name="text"/> or throws <see cref="FormatException"/> naming it.</summary>
    public static decimal Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"'{text}' is not a quantity (examples: 100m, 0.5, 128Mi, 1G)");

    /// <summary>The largest value <see cref="ToMilli"/> takes (its millis fit a long).</summary>
    public const decimal MaxMilli = long.MaxValue / 1000;

    /// <summary>
    /// <paramref name="a"/> + <paramref name="b"/>, or <see cref="decimal.MaxValue"/> when that overflows: sums of
    /// quantities (a namespace's usage) stay comparable however large the parts a manifest declared.
    /// </summary>
    public static decimal Add(decimal a, decimal b)
    {
        try
        {
            return a + b;
        }
        catch (OverflowException)
        {
            return decimal.MaxValue;
        }
    }

    /// <summary>CPU in millicores, rounded up (<c>100m</c> → 100, <c>1</c> → 1000).</summary>
    public static long ToMilli(decimal value) => (long)Math.Ceiling(value * 1000m);

    /// <summary>Formats millicores back as a quantity (<c>1500</c> → <c>1500m</c>, <c>2000</c> → <c>2</c>).</summary>
    public static string FormatMilli(long milli) =>
        milli % 1000 == 0 ? (milli / 1000).ToString(CultureInfo.InvariantCulture) : milli.ToString(CultureInfo.InvariantCulture) + "m";

    /// <summary>Formats bytes with the largest exact binary suffix (<c>134217728</c> → <c>128Mi</c>).</summary>
    public static string FormatBytes(decimal bytes)
    {
        string[] names = ["Ei", "Pi", "Ti", "Gi", "Mi", "Ki"];
        for (var i = 0; i < names.Length; i++)
        {
            var f = (decimal)Math.Pow(1024, names.Length - i);
            if (bytes >= f && bytes % f == 0) return decimal.Truncate(bytes / f).ToString(CultureInfo.InvariantCulture) + names[i];
        }
        return decimal.Round(bytes).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Formats a value as a canonical quantity: the shortest of its binary-suffixed (<c>128Mi</c>), decimal-suffixed
    /// (<c>500M</c>, <c>70000E</c>) and plain forms, binary on a tie; fractions in millis rounded up (<c>1500m</c>).
    /// </summary>
    public static string Format(decimal value)
    {
        if (value != decimal.Truncate(value))
        {
            if (Math.Abs(value) < MaxMilli) return FormatMilli(ToMilli(value));
            value = decimal.Ceiling(value);
        }
        var plain = decimal.Truncate(value).ToString(CultureInfo.InvariantCulture);
        var binary = value != 0 && value % 1024 == 0 ? FormatBytes(value) : plain;
        var si = Suffixed(value, 1000, ["k", "M", "G", "T", "P", "E"]) ?? plain;
        return new[] { binary, si, plain }.MinBy(f => f.Length)!;
    }

    private static string? Suffixed(decimal value, decimal step, string[] suffixes)
    {
        for (var i = suffixes.Length - 1; i >= 0; i--)
        {
            var f = (decimal)Math.Pow((double)step, i + 1);
            if (value != 0 && value % f == 0) return decimal.Truncate(value / f).ToString(CultureInfo.InvariantCulture) + suffixes[i];
        }
        return null;
    }
}
