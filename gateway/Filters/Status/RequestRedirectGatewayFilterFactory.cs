using System.Globalization;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Status;

/// <summary>
/// Gateway API's <c>RequestRedirect</c>, as HTTPRoutes become routes: answers <c>statusCode</c> (301 unless given)
/// with the request's own URL, its scheme, hostname, port and path replaced where given. <c>replaceFullPath</c>
/// replaces the path; <c>replacePrefixMatch</c> replaces the matched <c>prefix</c> (whole segments) and keeps the rest.
/// Without a port the scheme's default is left out (as Gateway API says, a scheme change drops the request's port).
/// </summary>
internal sealed class RequestRedirectGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.RequestRedirect)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var status = args.Find("statusCode") is { } code ? HttpStatusArg.Parse(code, "statusCode") : 301;
        if (status is < 300 or > 399) throw new GatewayArgumentException("statusCode", $"{status} is not a 3xx redirect status");
        var scheme = args.Find("scheme");
        if (scheme is not (null or "http" or "https")) throw new GatewayArgumentException("scheme", $"'{scheme}' is neither http nor https");
        var hostname = args.Find("hostname");
        int? port = args.Find("port") is null ? null : args.Int("port", min: 1);
        var fullPath = args.Find("replaceFullPath");
        var prefixMatch = args.Find("replacePrefixMatch");
        var prefix = (args.Find("prefix") ?? "/").TrimEnd('/');
        return new DelegateGatewayFilter((ctx, _) =>
        {
            var request = ctx.Request;
            var toScheme = scheme ?? request.Scheme;
            var host = hostname ?? request.Host.Host;
            // The request's port is kept only when neither scheme nor port is redirected.
            var toPort = port ?? (scheme is null ? request.Host.Port : null);
            var path = request.Path.Value ?? "/";
            if (fullPath is not null) path = fullPath;
            else if (prefixMatch is not null && (path == prefix || path.StartsWith(prefix + "/", StringComparison.Ordinal) || prefix.Length == 0))
            {
                var rest = path[prefix.Length..];
                path = prefixMatch.TrimEnd('/') + rest;
                if (path.Length == 0) path = "/";
            }
            var authority = toPort is { } p && !(p == 80 && toScheme == "http") && !(p == 443 && toScheme == "https")
                ? $"{host}:{p.ToString(CultureInfo.InvariantCulture)}" : host;
            ctx.Response.StatusCode = status;
            ctx.Response.Headers.Location = $"{toScheme}://{authority}{path}{request.QueryString.Value}";
            return Task.CompletedTask;
        });
    }
}
