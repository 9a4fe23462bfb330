using System.Globalization;

namespace Platform.Discovery.Api;

/// <summary>Normalizes what clients put in the path and query.</summary>
internal static class RouteValues
{
    /// <summary>Upper-cased, percent-decoded application name (Eureka stores names upper-case).</summary>
    public static string App(string app) => Uri.UnescapeDataString(app).ToUpperInvariant();

    /// <summary>Percent-decoded instance id: routing leaves <c>%2F</c> encoded, Eureka clients encode ids.</summary>
    public static string Id(string id) => Uri.UnescapeDataString(id);

    public static bool IsReplication(HttpRequest request) =>
        string.Equals(request.Headers["x-netflix-discovery-replication"], "true", StringComparison.OrdinalIgnoreCase);

    public static bool TryLong(string? value, out long? result)
    {
        result = null;
        if (string.IsNullOrEmpty(value)) return true;
        if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return false;
        result = l;
        return true;
    }
}
