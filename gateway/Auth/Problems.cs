using Microsoft.AspNetCore.Http;

namespace Platform.Gateway.Auth;

/// <summary>Writes an RFC 7807 answer from inside a filter (outside any endpoint).</summary>
internal static class Problems
{
    public static Task WriteAsync(HttpContext context, int status, string title, string detail, string? wwwAuthenticate = null)
    {
        if (wwwAuthenticate is not null) context.Response.Headers.WWWAuthenticate = wwwAuthenticate;
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, instance: context.Request.Path).ExecuteAsync(context);
    }
}
