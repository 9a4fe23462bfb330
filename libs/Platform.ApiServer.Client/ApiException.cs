using System.Net;
using System.Text.Json;

namespace Platform.ApiServer.Client;

/// <summary>
/// The apiserver refused a call. Carries the HTTP status, the Kubernetes <c>reason</c> (<c>NotFound</c>,
/// <c>AlreadyExists</c>, <c>Conflict</c>, <c>Invalid</c>, <c>Expired</c> …) and the message of the v1 Status or
/// ProblemDetails body. It is an <see cref="HttpRequestException"/>, so callers that only care that a call failed
/// need not know it.
/// </summary>
public sealed class ApiException : HttpRequestException
{
    public ApiException(string method, string path, HttpStatusCode status, string? reason, string detail)
        : base($"{method} {path}: {(int)status} {reason ?? status.ToString()}: {detail}", null, status)
    {
        Method = method;
        Path = path;
        Reason = reason;
        Detail = detail;
    }

    public string Method { get; }
    public string Path { get; }
    /// <summary>The Status <c>reason</c> (or ProblemDetails <c>title</c>) when the body had one.</summary>
    public string? Reason { get; }
    public string Detail { get; }

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;
    /// <summary>409 <c>Conflict</c> (not <c>AlreadyExists</c>): the write's resourceVersion precondition failed, the object changed since it was read.</summary>
    public bool IsVersionConflict => IsConflict && Reason == "Conflict";
    /// <summary>410: a watch or list asked for a resourceVersion the server no longer has.</summary>
    public bool IsExpired => StatusCode == HttpStatusCode.Gone;

    /// <summary>Reads a v1 Status (<c>reason</c>, <c>message</c>) or a ProblemDetails (<c>title</c>, <c>detail</c>) body; anything else is kept as text.</summary>
    internal static ApiException From(string method, string path, HttpStatusCode status, string body)
    {
        string? reason = null;
        var detail = body.Length > 2048 ? body[..2048] + "…" : body;
        try
        {
            using var doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                reason = Text(root, "reason") ?? Text(root, "title");
                detail = Text(root, "message") ?? Text(root, "detail") ?? detail;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the text is the detail.
        }
        return new ApiException(method, path, status, reason, detail);
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
