using Microsoft.AspNetCore.Http;

namespace Platform.Gateway.Auth;

/// <summary>Writes an RFC 7807 answer from inside a filter (outside any endpoint).</summary>
internal static class Problems
{
    /// <summary>Makes text safe for a header value (exception messages carry quotes and line breaks).</summary>
    public static string HeaderSafe(string? text)
    {
        var first = (text ?? "").Split('\n', 2)[0].Trim();
        var chars = first.Where(c => c >= ' ' && c != '"' && c != '\\' && c < 127).Take(200).ToArray();
        return new string(chars);
    }

    public static Task WriteAsync(HttpContext context, int status, string title, string detail, string? wwwAuthenticate = null)
    {
        if (wwwAuthenticate is not null) context.Response.Headers.WWWAuthenticate = wwwAuthenticate;
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, instance: context.Request.Path).ExecuteAsync(context);
    }
}
