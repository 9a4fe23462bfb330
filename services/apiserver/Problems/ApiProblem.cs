namespace Platform.ApiServer.Problems;

/// <summary>
/// A client error raised anywhere below the endpoints and turned into RFC 7807 ProblemDetails by
/// <see cref="ApiProblemFilter"/>. <see cref="Reason"/> is Kubernetes' machine-readable reason (NotFound, Conflict ...).
/// </summary>
public sealed class ApiProblem(int status, string reason, string detail, IReadOnlyList<FieldError>? errors = null) : Exception(detail)
{
    public int Status { get; } = status;
    public string Reason { get; } = reason;
    public IReadOnlyList<FieldError> Errors { get; } = errors ?? [];

    /// <summary>The kind and name of the refused object (a Status's <c>details</c>), from which kubectl prints <c>The Service "x" is invalid</c>.</summary>
    public (string Kind, string? Name)? Subject { get; init; }

    public static ApiProblem BadRequest(string detail) => new(400, "BadRequest", detail);
    public static ApiProblem BadRequest(string field, string reason) => new(400, "BadRequest", $"{field}: {reason}", [new(field, reason)]);
    public static ApiProblem NotFound(string detail) => new(404, "NotFound", detail);
    public static ApiProblem Conflict(string detail) => new(409, "Conflict", detail);
    public static ApiProblem AlreadyExists(string detail) => new(409, "AlreadyExists", detail);
    public static ApiProblem Forbidden(string detail) => new(403, "Forbidden", detail);
    public static ApiProblem MethodNotAllowed(string detail) => new(405, "MethodNotAllowed", detail);

    /// <summary>A 422 about the request rather than an object (a patch that does not decode): kubectl prints <c>The request is invalid</c>.</summary>
    public static ApiProblem InvalidRequest(string kind, string? name, IReadOnlyList<FieldError> errors) =>
        new(422, "Invalid", $"{kind} \"{name}\" is invalid: {string.Join("; ", errors)}", errors);

    public static ApiProblem Invalid(string kind, string? name, IReadOnlyList<FieldError> errors) =>
        new(422, "Invalid", $"{kind} \"{name}\" is invalid: {string.Join("; ", errors)}", errors) { Subject = (kind, name) };
}
