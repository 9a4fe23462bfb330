using System.Globalization;

namespace Platform.ApiServer.Metrics;

/// <summary>
/// The canonical quantity strings metrics-server answers with: CPU from nanocores as a decimal-SI quantity of scale
/// −9 (<c>123456n</c>, <c>5m</c>, <c>2</c>), memory from bytes as a binary-SI quantity (<c>2048Ki</c>, <c>3Mi</c>, or
/// the plain byte count when it is not a whole number of KiB), as apimachinery's <c>Quantity.String()</c> writes them.
/// </summary>
internal static class MetricsQuantity
{
    public static string Cpu(ulong nanocores)
    {
        if (nanocores == 0) return "0";
        foreach (var (factor, suffix) in new[] { (1_000_000_000UL, ""), (1_000_000UL, "m"), (1_000UL, "u") })
            if (nanocores % factor == 0) return (nanocores / factor).ToString(CultureInfo.InvariantCulture) + suffix;
        return nanocores.ToString(CultureInfo.InvariantCulture) + "n";
    }

    public static string Memory(ulong bytes)
    {
        if (bytes == 0) return "0";
        string[] suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
        var i = 0;
        while (i < suffixes.Length - 1 && bytes % 1024 == 0)
        {
            bytes /= 1024;
            i++;
        }
        return bytes.ToString(CultureInfo.InvariantCulture) + suffixes[i];
    }
}
