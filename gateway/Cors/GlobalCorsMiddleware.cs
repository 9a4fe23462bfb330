using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Platform.Gateway.Configuration;
using Platform.Gateway.Predicates;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Cors;

/// <summary>
/// <c>spring.cloud.gateway.globalcors.cors-configurations</c>: answers preflight requests itself and adds the
/// <c>Access-Control-Allow-*</c> headers to actual cross-origin answers, for the first path pattern that matches.
/// </summary>
internal sealed class GlobalCorsMiddleware(RequestDelegate next, GatewayRuntime runtime, IOptions<GatewayOptions> options)
{
    private IReadOnlyList<CorsDefinition>? _compiledFor;
    private (Regex Path, CorsDefinition Definition)[] _compiled = [];

    public Task InvokeAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        var definitions = runtime.Cors;
        if (origin.Length == 0 || definitions.Count == 0) return next(context);
        var match = Compiled(definitions).FirstOrDefault(c => Matches(c.Path, context.Request.Path.Value ?? "/")).Definition;
        if (match is null) return next(context);
        var allowed = match.AllowedOrigins.Contains("*") || match.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);
        var preflight = HttpMethods.IsOptions(context.Request.Method) && context.Request.Headers.ContainsKey("Access-Control-Request-Method");
        if (preflight)
        {
            var method = context.Request.Headers["Access-Control-Request-Method"].ToString();
            var methodOk = match.AllowedMethods.Count == 0 || match.AllowedMethods.Contains("*") || match.AllowedMethods.Contains(method, StringComparer.OrdinalIgnoreCase);
            if (!allowed || !methodOk)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }
            Allow(context, match, origin);
            context.Response.Headers.AccessControlAllowMethods = match.AllowedMethods.Contains("*") || match.AllowedMethods.Count == 0 ? method : string.Join(",", match.AllowedMethods);
            var requested = context.Request.Headers.AccessControlRequestHeaders.ToString();
            if (requested.Length > 0)
                context.Response.Headers.AccessControlAllowHeaders = match.AllowedHeaders.Contains("*") ? requested : string.Join(",", match.AllowedHeaders);
            if (match.MaxAgeSeconds is { } age) context.Response.Headers.AccessControlMaxAge = age.ToString(CultureInfo.InvariantCulture);
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        }
        if (allowed)
        {
            context.Response.OnStarting(() =>
            {
                Allow(context, match, origin);
                return Task.CompletedTask;
            });
        }
        return next(context);
    }

    /// <summary>A pattern that times out on this path does not apply to it, as a timed-out route predicate does not match.</summary>
    private static bool Matches(Regex path, string value)
    {
        try { return path.IsMatch(value); }
        catch (RegexMatchTimeoutException) { return false; }
    }

    private static void Allow(HttpContext context, CorsDefinition d, string origin)
    {
        context.Response.Headers.AccessControlAllowOrigin = d.AllowedOrigins.Contains("*") && !d.AllowCredentials ? "*" : origin;
        if (d.AllowCredentials) context.Response.Headers.AccessControlAllowCredentials = "true";
        context.Response.Headers.Vary = "Origin";
    }

    private (Regex Path, CorsDefinition Definition)[] Compiled(IReadOnlyList<CorsDefinition> definitions)
    {
        if (!ReferenceEquals(definitions, _compiledFor))
        {
            _compiled = definitions.Select(d => (PatternCompiler.Compile(d.PathPattern, '/', "globalcors", options.Value.RegexTimeout), d)).ToArray();
            _compiledFor = definitions;
        }
        return _compiled;
    }
}
