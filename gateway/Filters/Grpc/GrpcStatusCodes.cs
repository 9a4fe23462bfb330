using Microsoft.AspNetCore.Http;

namespace Platform.Gateway.Filters.Grpc;

/// <summary>gRPC status codes by name, and the HTTP status each maps to (the mapping of google.rpc.Code / grpc-gateway).</summary>
internal static class GrpcStatusCodes
{
    private static readonly string[] Names =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
        "UNAUTHENTICATED",
    ];

    public static string Name(int code) => code >= 0 && code < Names.Length ? Names[code] : code.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static int ToHttp(int code) => code switch
    {
        0 => StatusCodes.Status200OK,
        1 => 499, // client closed request
        3 or 9 or 11 => StatusCodes.Status400BadRequest,
        4 => StatusCodes.Status504GatewayTimeout,
        5 => StatusCodes.Status404NotFound,
        6 or 10 => StatusCodes.Status409Conflict,
        7 => StatusCodes.Status403Forbidden,
        8 => StatusCodes.Status429TooManyRequests,
        12 => StatusCodes.Status501NotImplemented,
        14 => StatusCodes.Status503ServiceUnavailable,
        16 => StatusCodes.Status401Unauthorized,
        _ => StatusCodes.Status500InternalServerError,
    };
}
