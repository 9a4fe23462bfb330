using Microsoft.AspNetCore.Http.Features;

namespace Platform.Console.Live;

/// <summary>The text/event-stream framing: <c>id:</c>, <c>event:</c>, one <c>data:</c> line per line of data, a blank line.</summary>
internal static class Sse
{
    public static void Start(HttpResponse response)
    {
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    public static async Task CommentAsync(HttpResponse response, string text, CancellationToken ct)
    {
        await response.WriteAsync($": {text}\n\n", ct);
        await response.Body.FlushAsync(ct);
    }

    public static async Task EventAsync(HttpResponse response, string? id, string type, string data, CancellationToken ct)
    {
        var text = new System.Text.StringBuilder();
        if (id is not null) text.Append("id: ").Append(id).Append('\n');
        text.Append("event: ").Append(type).Append('\n');
        foreach (var line in data.Split('\n')) text.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
        text.Append('\n');
        await response.WriteAsync(text.ToString(), ct);
        await response.Body.FlushAsync(ct);
    }
}
