using Microsoft.AspNetCore.Http;

namespace Platform.Gateway.Filters.Body;

/// <summary>
/// Runs the rest of the chain with the response body held in memory (at most <c>max</c> bytes), then writes what
/// <c>rewrite</c> makes of it, or the upstream's bytes unchanged when it returns null. Larger answers are a 502: the
/// gateway cannot rewrite what it could not hold, and passing it on unrewritten could leak what the filter removes.
/// The upstream is asked for an uncompressed body (no <c>Accept-Encoding</c>) so that the rewrite can read it.
/// </summary>
internal static class ResponseBodyRewriter
{
    /// <summary>A rewritten body and its content type (null: keep the upstream's).</summary>
    public readonly record struct Rewritten(byte[] Body, string? ContentType);

    public static async Task RunAsync(HttpContext context, GatewayDelegate next, string filter, long max, Func<HttpContext, byte[], Rewritten?> rewrite)
    {
        context.Request.Headers.Remove("Accept-Encoding");
        var original = context.Response.Body;
        await using var capture = new CaptureStream(max);
        context.Response.Body = capture;
        try { await next(context); }
        finally { context.Response.Body = original; }
        if (context.Response.HasStarted) return;
        if (capture.Overflowed)
        {
            context.Response.Clear();
            await TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Bad Gateway", instance: context.Request.Path,
                detail: $"the upstream's response body is larger than {filter} holds in memory ({max} bytes, its maxSize)",
                extensions: new Dictionary<string, object?> { ["limit"] = max }).ExecuteAsync(context);
            return;
        }
        var body = capture.Captured();
        var encoded = context.Response.Headers.ContentEncoding.Count > 0;
        if (body.Length > 0 && !encoded && rewrite(context, body) is { } result)
        {
            body = result.Body;
            if (result.ContentType is { } type) context.Response.ContentType = type;
        }
        if (body.Length == 0 && context.Response.ContentLength is null or 0) return;
        context.Response.ContentLength = body.Length;
        await original.WriteAsync(body, context.RequestAborted);
    }
}
