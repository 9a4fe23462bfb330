using System.Text.RegularExpressions;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Headers;

/// <summary>
/// <c>RewriteLocationResponseHeader=AS_IN_REQUEST, Location, ,</c> (<c>stripVersion</c>, <c>locationHeaderName</c>,
/// <c>hostValue</c>, <c>protocols</c>): the upstream's <c>host:port</c> in the <c>Location</c> header becomes
/// <c>hostValue</c> (default: the request's <c>Host</c>), and a <c>/v1</c>-style version right after it is dropped
/// per <c>stripVersion</c> (<c>NEVER_STRIP</c>, <c>AS_IN_REQUEST</c>: only when the request path has none, <c>ALWAYS_STRIP</c>).
/// Only URLs whose scheme matches <c>protocols</c> (default <c>https?|ftps?</c>) are rewritten.
/// </summary>
internal sealed class RewriteLocationResponseHeaderGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.RewriteLocationResponseHeader)
{
    private const string DefaultProtocols = "https?|ftps?";
    private static readonly Regex VersionedPath = new(@"^/v\d+/", RegexOptions.CultureInvariant);


    /// <summary>Spring's <c>StripVersion</c> modes.</summary>
    internal enum StripVersion { NeverStrip, AsInRequest, AlwaysStrip }

    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var mode = Mode(NonEmpty(args.FindAny("stripVersion", "stripVersionMode", "mode")));
        var header = NonEmpty(args.Find("locationHeaderName")) ?? "Location";
        var hostValue = NonEmpty(args.Find("hostValue"));
        if (hostValue is not null) HeaderTemplate.Validate(header, hostValue, argument: "hostValue");
        var protocols = NonEmpty(args.FindAny("protocols", "protocolsRegex")) ?? DefaultProtocols;
        Regex hostPort, hostPortVersion;
        try
        {
            _ = new Regex(protocols, RegexOptions.CultureInvariant, context.RegexTimeout);
            hostPort = new Regex($@"(?<=^(?:{protocols})://)[^:/]+(?::\d+)?(?=/)", RegexOptions.CultureInvariant, context.RegexTimeout);
            hostPortVersion = new Regex($@"(?<=^(?:{protocols})://)[^:/]+(?::\d+)?(?:/v\d+)?(?=/)", RegexOptions.CultureInvariant, context.RegexTimeout);
        }
        catch (ArgumentException ex)
        {
            throw new GatewayArgumentException("protocols", $"invalid regex: {ex.Message}");
        }
        return new DelegateGatewayFilter((ctx, next) =>
        {
            // The request as this filter saw it (later filters may rewrite the path).
            var path = ctx.Request.Path.Value ?? "/";
            var host = hostValue ?? ctx.Request.Host.Value;
            ctx.Response.OnStarting(() =>
            {
                if (string.IsNullOrEmpty(host) || ctx.Response.Headers[header].FirstOrDefault() is not { Length: > 0 } location) return Task.CompletedTask;
                var strip = mode == StripVersion.AlwaysStrip || (mode == StripVersion.AsInRequest && !VersionedPath.IsMatch(path));
                try
                {
                    ctx.Response.Headers[header] = (strip ? hostPortVersion : hostPort).Replace(location, _ => host, 1);
                }
                catch (RegexMatchTimeoutException)
                {
                    // The header names the upstream's address; one that cannot be rewritten in time is not passed on.
                    ctx.Response.Headers.Remove(header);
                }
                return Task.CompletedTask;
            });
            return next(ctx);
        });
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static StripVersion Mode(string? value) => value?.ToUpperInvariant() switch
    {
        null or "AS_IN_REQUEST" => StripVersion.AsInRequest,
        "NEVER_STRIP" => StripVersion.NeverStrip,
        "ALWAYS_STRIP" => StripVersion.AlwaysStrip,
        _ => throw new GatewayArgumentException("stripVersion", $"'{value}' is not NEVER_STRIP, AS_IN_REQUEST or ALWAYS_STRIP"),
    };
}
