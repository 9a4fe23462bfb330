using System.Globalization;
using System.Net;

namespace Platform.Contracts.Routing;

/// <summary>Status arguments (SetStatus, RedirectTo, Retry statuses) as Spring reads them.</summary>
public static class HttpStatusArg
{
    /// <summary>A number (<c>401</c>) or Spring's <c>HttpStatus</c> name (<c>UNAUTHORIZED</c>, <c>SERVICE_UNAVAILABLE</c>).</summary>
    public static int Parse(string raw, string argument)
    {
        if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599) return code;
        var name = raw.Replace("_", "", StringComparison.Ordinal);
        if (name.Equals("FOUND", StringComparison.OrdinalIgnoreCase)) return 302;
        if (name.Equals("PAYLOADTOOLARGE", StringComparison.OrdinalIgnoreCase)) return 413;
        if (name.Equals("IAMATEAPOT", StringComparison.OrdinalIgnoreCase)) return 418;
        if (name.Equals("URITOOLONG", StringComparison.OrdinalIgnoreCase)) return 414;
        return Enum.TryParse<HttpStatusCode>(name, ignoreCase: true, out var s) && !int.TryParse(name, out _)
            ? (int)s : throw new GatewayArgumentException(argument, $"'{raw}' is not an HTTP status");
    }
}
