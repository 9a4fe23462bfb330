using Microsoft.AspNetCore.Http;

namespace Platform.Gateway.Filters.Body;

/// <summary>Reads a request body into memory, at most a limit; the caller answers 413 when it is larger.</summary>
internal static class RequestBodyBuffer
{
    /// <summary>Whether the request carries a body (a length above 0, or chunked).</summary>
    public static bool HasBody(HttpContext context) =>
        context.Request.ContentLength > 0 || (context.Request.ContentLength is null && context.Request.Headers.ContainsKey("Transfer-Encoding"));

    /// <summary>The body, or null when it is larger than <paramref name="max"/> bytes (nothing more is read then).</summary>
    public static async Task<byte[]?> ReadAsync(HttpContext context, long max)
    {
        if (context.Request.ContentLength > max) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > max) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Sends <paramref name="body"/> upstream in place of what the client sent, with its length.</summary>
    public static void Replace(HttpContext context, byte[] body)
    {
        context.Request.Body = new MemoryStream(body, writable: false);
        context.Request.ContentLength = body.Length;
        context.Request.Headers.Remove("Transfer-Encoding");
    }

    public static Task TooLargeAsync(HttpContext context, string filter, long max) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload Too Large", instance: context.Request.Path,
            detail: $"body: {filter} holds at most {max} bytes in memory (its maxSize)",
            extensions: new Dictionary<string, object?> { ["limit"] = max }).ExecuteAsync(context);
}
