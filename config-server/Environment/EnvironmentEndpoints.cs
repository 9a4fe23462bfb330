using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Platform.ConfigServer.Formats;
using Platform.ConfigServer.Limits;
using Platform.ConfigServer.Security;

namespace Platform.ConfigServer.Environment;

/// <summary>
/// Spring Cloud Config's read API: the Environment JSON, the file-style documents and plain-text files.
/// Route precedence keeps them apart: a segment like <c>{name}-{profiles}.yml</c> is more specific than a
/// bare <c>{profiles}</c>, and four or more segments mean a plain-text file. A stored document or a resolution over a
/// <see cref="DocumentLimitsOptions"/> bound is a 422 naming the limit's key and where it was broken.
/// </summary>
internal static class EnvironmentEndpoints
{
    private const string Ext = "{ext:regex(^(yml|yaml|properties|json)$)}";

    public static IEndpointRouteBuilder MapEnvironmentApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").RequireAuthorization(Policies.Read).AddEndpointFilter(ConfigNamespaces.Filter).WithTags("environment");
        group.MapGet("/{application}/{profiles}", (HttpContext ctx, string application, string profiles, bool? resolvePlaceholders, bool? decrypt,
            EnvironmentService service, IOptions<DocumentLimitsOptions> limits, CancellationToken ct) =>
            GetEnvironment(ctx, application, profiles, null, resolvePlaceholders, decrypt, service, limits, ct));
        group.MapGet("/{application}/{profiles}/{label}", GetEnvironment);
        group.MapGet("/{name}-{profiles}." + Ext, (HttpContext ctx, string name, string profiles, string ext, bool? resolvePlaceholders,
            EnvironmentService service, IOptions<DocumentLimitsOptions> limits, CancellationToken ct) =>
            GetDocument(ctx, null, name, profiles, ext, resolvePlaceholders, service, limits, ct));
        group.MapGet("/{label}/{name}-{profiles}." + Ext, GetDocument);
        group.MapGet("/{application}/{profiles}/{label}/{**path}", GetPlainText);
        return routes;
    }

    /// <summary>
    /// <c>?decrypt=false</c> serves <c>{cipher}</c> values as stored, for a reader that must not hold the plain text (the
    /// console). Only to an authenticated caller: with <c>ConfigServer:Security:Enabled=false</c> an anonymous caller still
    /// gets exactly what it got before, and is told that this option needs credentials.
    /// </summary>
    internal static async Task<Results<Ok<SpringEnvironment>, ProblemHttpResult>> GetEnvironment(HttpContext ctx,
        string application, string profiles, string? label, bool? resolvePlaceholders, bool? decrypt, EnvironmentService service,
        IOptions<DocumentLimitsOptions> limits, CancellationToken ct)
    {
        var (request, field, error) = EnvironmentRequest.Parse(application, profiles, label);
        if (request is null) return BadRequest(field!, error!);
        if (decrypt == false && ctx.User.Identity?.IsAuthenticated != true)
            return TypedResults.Problem(statusCode: 401, title: "Unauthorized", detail: "decrypt: reading values still encrypted needs credentials (HTTP Basic or Bearer)");
        request = Scoped(ctx, request);
        try
        {
            var env = await service.FindAsync(request, ct, decrypt: decrypt != false);
            if (resolvePlaceholders == true)
            {
                var resolver = new PlaceholderResolver(PropertyMerger.Merge(env.PropertySources), limits.Value);
                env = env with
                {
                    PropertySources = [.. env.PropertySources.Select(s => s with { Source = ResolveAgainst(s.Source, resolver) })],
                };
            }
            return TypedResults.Ok(env);
        }
        catch (Exception ex) when (ProblemFor(ex) is { } problem)
        {
            return problem;
        }
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetDocument(HttpContext ctx,
        string? label, string name, string profiles, string ext, bool? resolvePlaceholders, EnvironmentService service,
        IOptions<DocumentLimitsOptions> limits, CancellationToken ct)
    {
        var (request, field, error) = EnvironmentRequest.Parse(name, profiles, label);
        if (request is null) return BadRequest(field!, error!);
        request = Scoped(ctx, request);
        try
        {
            var env = await service.FindAsync(request, ct);
            var merged = PropertyMerger.Merge(env.PropertySources);
            // Spring resolves placeholders in the file-style outputs unless told not to.
            if (resolvePlaceholders != false) merged = PlaceholderResolver.ResolveAll(merged, limits.Value);
            var (text, contentType) = FileFormatter.Format(ext, merged);
            return TypedResults.Content(text, contentType);
        }
        catch (Exception ex) when (ProblemFor(ex) is { } problem)
        {
            return problem;
        }
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetPlainText(HttpContext ctx,
        string application, string profiles, string label, string path, EnvironmentService service,
        IOptions<DocumentLimitsOptions> limits, CancellationToken ct)
    {
        var (request, field, error) = EnvironmentRequest.Parse(application, profiles, label);
        if (request is null) return BadRequest(field!, error!);
        request = Scoped(ctx, request);
        if (path.Contains("..", StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal))
            return BadRequest("path", $"'{path}' must not contain '..' or '\\'");
        try
        {
            var text = await service.FindPlainTextAsync(request, path, ct);
            if (text is null)
                return TypedResults.Problem(statusCode: 404, title: "Not Found", detail: $"path: no file '{path}' for {application}/{profiles}");
            var env = await service.FindAsync(request, ct);
            var resolved = new PlaceholderResolver(PropertyMerger.Merge(env.PropertySources), limits.Value).ResolveText(path, text);
            return TypedResults.Content(resolved, "text/plain; charset=utf-8");
        }
        catch (Exception ex) when (ProblemFor(ex) is { } problem)
        {
            return problem;
        }
    }

    /// <summary>The request as the namespace filter admitted it: which namespace, and who asks (for per-Secret reviews).</summary>
    private static EnvironmentRequest Scoped(HttpContext ctx, EnvironmentRequest request) =>
        request with { Namespace = ConfigNamespaces.Of(ctx), Caller = ConfigNamespaces.CallerOf(ctx) };

    private static OrderedDictionary<string, object?> ResolveAgainst(OrderedDictionary<string, object?> source, PlaceholderResolver resolver)
    {
        var result = new OrderedDictionary<string, object?>();
        foreach (var (k, v) in source)
            result[k] = v is string s && s.Contains("${", StringComparison.Ordinal) ? resolver.ResolveValue(k, s) : v;
        return result;
    }

    private static ProblemHttpResult BadRequest(string field, string error) =>
        TypedResults.Problem(statusCode: 400, title: "Bad Request", detail: $"{field}: {error}");

    /// <summary>
    /// 422 rather than 413: the request is fine, what it asks for is a stored document (or its resolution) that is
    /// too large, too deep or too expanded to serve.
    /// </summary>
    private static ProblemHttpResult LimitExceeded(DocumentLimitException ex)
    {
        LimitMetrics.Rejected("request", ex);
        return TypedResults.Problem(statusCode: 422, title: "Configuration Limit Exceeded", detail: ex.Message,
            extensions: new Dictionary<string, object?> { ["limit"] = ex.LimitKey, ["location"] = ex.Location });
    }

    private static ProblemHttpResult? ProblemFor(Exception ex) => ex switch
    {
        LabelNotFoundException l => TypedResults.Problem(statusCode: 404, title: "Not Found", detail: $"label: {l.Message}"),
        BackendUnavailableException b => TypedResults.Problem(statusCode: 503, title: "Backend Unavailable", detail: b.Message),
        DocumentLimitException l => LimitExceeded(l),
        // The request is fine and so is the server: a file in the repository cannot be parsed. Like a file over a limit,
        // that is the content's fault, named with its location, not a server error.
        InvalidDataException d => TypedResults.Problem(statusCode: 422, title: "Unreadable Property File", detail: d.Message),
        _ => null,
    };
}
