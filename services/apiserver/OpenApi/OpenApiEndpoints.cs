using Microsoft.Net.Http.Headers;
using Platform.ApiServer.Api;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.OpenApi;

/// <summary>
/// <c>GET /openapi/v3</c> and <c>GET /openapi/v3/{group-version path}</c>, as kube-apiserver serves them: a request
/// with the current <c>hash</c> may be cached forever (the URL changes when the document does), one without is
/// revalidated by ETag, one with an old hash is redirected to the current URL. JSON only: a client asking only for
/// the protobuf form gets 406.
/// </summary>
internal static class OpenApiEndpoints
{
    public static IEndpointRouteBuilder MapOpenApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/openapi").RequireAuthorization().AddEndpointFilter<ApiProblemFilter>();
        g.MapGet("/v3", (HttpContext ctx, OpenApiDocuments docs) => AcceptsJson(ctx) ? TypedResults.Json(docs.Index()) : throw NotAcceptable());
        g.MapGet("/v3/{**path}", Document);
        g.MapGet("/v2", IResult () => throw ApiProblem.NotFound("OpenAPI v2 is not served; the OpenAPI v3 documents are at /openapi/v3"));
        return app;
    }

    private static IResult Document(HttpContext ctx, string path, OpenApiDocuments docs)
    {
        var doc = docs.Find(path) ?? throw ApiProblem.NotFound($"no OpenAPI v3 document for \"{path}\"; /openapi/v3 lists them");
        if (!AcceptsJson(ctx)) throw NotAcceptable();
        var hash = ctx.Request.Query["hash"].ToString();
        var headers = ctx.Response.GetTypedHeaders();
        if (hash.Length > 0 && hash != doc.Hash)
            return TypedResults.Redirect($"/openapi/v3/{path}?hash={doc.Hash}", permanent: true);
        var etag = new EntityTagHeaderValue($"\"{doc.Hash}\"");
        headers.ETag = etag;
        if (hash.Length > 0)
        {
            headers.CacheControl = new CacheControlHeaderValue { Public = true, Extensions = { new NameValueHeaderValue("immutable") } };
            headers.Expires = DateTimeOffset.UtcNow.AddYears(1);
        }
        else
        {
            headers.CacheControl = new CacheControlHeaderValue { NoCache = true, Private = true };
            if (ctx.Request.GetTypedHeaders().IfNoneMatch.Any(t => t.Compare(etag, useStrongComparison: true)))
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Text(doc.Json, "application/json");
    }

    private static bool AcceptsJson(HttpContext ctx)
    {
        // Read raw: the protobuf media type (application/com.github.proto-openapi.spec.v3@v1.0+protobuf) does not parse as one.
        var accept = string.Join(',', ctx.Request.Headers.Accept.ToArray());
        return accept.Length == 0 || accept.Split(',').Select(a => a.Split(';')[0].Trim())
            .Any(a => a is "application/json" or "*/*" or "application/*");
    }

    private static ApiProblem NotAcceptable() => new(406, "NotAcceptable", "only application/json is served for OpenAPI v3");
}
