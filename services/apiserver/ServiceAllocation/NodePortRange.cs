using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Platform.ApiServer.ServiceAllocation;

/// <summary>The node ports NodePort and LoadBalancer Services are given, <c>first-last</c> inclusive.</summary>
internal sealed record NodePortRange(int First, int Last)
{
    public bool Contains(int port) => port >= First && port <= Last;

    public override string ToString() => $"{First}-{Last}";

    public static bool TryParse(string? text, [NotNullWhen(true)] out NodePortRange? range, out string why)
    {
        range = null;
        why = "";
        var parts = text?.Split('-') ?? [];
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last))
        {
            why = $"'{text}' is not a port range such as 30000-32767";
            return false;
        }
        if (first < 1 || last > 65535 || first > last)
        {
            why = $"'{text}': ports must be 1-65535 and the first at most the last";
            return false;
        }
        range = new NodePortRange(first, last);
        return true;
    }
}
