namespace Platform.Discovery.Api;

/// <summary>RFC 7807 answers that say which field was wrong and why.</summary>
internal static class Problems
{
    public static IResult BadRequest(string field, string reason) =>
        TypedResults.Problem(title: "Invalid request", detail: $"{field}: {reason}", statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["field"] = field });

    public static IResult TooLarge(int maxBytes) =>
        TypedResults.Problem(title: "Request body too large", detail: $"body: larger than {maxBytes} bytes",
            statusCode: StatusCodes.Status413PayloadTooLarge, extensions: new Dictionary<string, object?> { ["field"] = "body" });

    public static IResult TooDeep(Codecs.BodyTooDeepException ex) =>
        TypedResults.Problem(title: "Request body nested too deeply", detail: $"body: {ex.Message} (Eureka:Server:MaxBodyDepth)",
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["field"] = "body", ["limit"] = "Eureka:Server:MaxBodyDepth" });

    public static IResult NotFound(string what) =>
        TypedResults.Problem(title: "Not found", detail: what, statusCode: StatusCodes.Status404NotFound);
}
