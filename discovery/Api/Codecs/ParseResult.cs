namespace Platform.Discovery.Api.Codecs;

/// <summary>A parsed value, or the field that was wrong and why (for a ProblemDetails).</summary>
internal readonly record struct ParseResult<T>(T? Value, string? Field, string? Error)
{
    public bool Ok => Error is null;
    public static ParseResult<T> Success(T value) => new(value, null, null);
    public static ParseResult<T> Fail(string field, string error) => new(default, field, error);
}
