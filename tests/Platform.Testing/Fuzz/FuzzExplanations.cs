using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Testing.Fuzz;

/// <summary>Ways a 4xx can say what was wrong; a suite picks the ones its surface speaks.</summary>
public static class FuzzExplanations
{
    /// <summary>ProblemDetails, or the status code page a client gets when its Accept header rules JSON out.</summary>
    public static bool Default(FuzzResponse response) => ProblemDetails(response) || StatusCodePage(response);

    /// <summary>
    /// ASP.NET Core's status code page in text (<c>Status Code: 404; Not Found</c>): what <c>UseStatusCodePages</c>
    /// answers for an unmatched route or method when the client does not accept JSON (<c>Accept: text/html</c>).
    /// </summary>
    public static bool StatusCodePage(FuzzResponse response) =>
        response.ContentType?.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) == true
        && response.Body.StartsWith($"Status Code: {response.Status}; ", StringComparison.Ordinal);

    /// <summary>
    /// RFC 7807 ProblemDetails (<c>detail</c> or <c>title</c>) or a Kubernetes <c>Status</c> (<c>message</c>): a JSON
    /// object with one of them non-blank.
    /// </summary>
    public static bool ProblemDetails(FuzzResponse response)
    {
        try
        {
            if (JsonNode.Parse(response.Body) is not JsonObject o) return false;
            return new[] { "detail", "title", "message" }.Any(k => o[k] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s));
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
