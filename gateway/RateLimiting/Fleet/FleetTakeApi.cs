using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.RateLimiting.Fleet;

/// <summary>
/// <c>POST /internal/ratelimit/take</c>: the owner of a bucket key takes tokens for another replica. Only for the
/// fleet: the bearer token must be <c>Gateway:RateLimiter:Fleet:Secret</c> (default the admin token); the literal
/// path wins over every route's catch-all, so no route can shadow or expose it. Mapped only when a fleet is configured.
/// </summary>
internal static class FleetTakeApi
{
    public const string Path = "/internal/ratelimit/take";

    public static IEndpointRouteBuilder MapFleetRateLimit(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<IOptions<GatewayOptions>>().Value.RateLimiter.Fleet.Enabled) app.MapPost(Path, Take);
        return app;
    }

    internal static Results<Ok<FleetTakeResponse>, ProblemHttpResult> Take(FleetTakeRequest body, HttpContext http, FleetBuckets buckets, IOptions<GatewayOptions> options)
    {
        var o = options.Value;
        var expected = o.RateLimiter.Fleet.Secret is { Length: > 0 } s ? s : o.Admin.Token ?? "";
        var header = http.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        if (presented.Length == 0 || !Platform.ServiceDefaults.SecretComparison.FixedTimeEquals(presented, expected))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"gateway-fleet\"";
            return TypedResults.Problem(statusCode: 401, title: "Unauthorized", detail: "Authorization: the fleet token (Gateway:RateLimiter:Fleet:Secret) is required");
        }
        if (body.Rate < 1 || body.Capacity < 1 || body.Requested < 1 || body.Requested > body.Capacity || string.IsNullOrEmpty(body.RouteId))
        {
            return TypedResults.Problem(statusCode: 400, title: "Bad Request", detail: "rate, capacity, requested: must be >= 1 with requested <= capacity, and routeId set");
        }
        var key = new BucketKey(body.Namespace, body.RouteId, body.Limits, body.Key);
        var (allowed, remaining) = buckets.TakeLocal(key, body.Capacity, body.Rate, body.Requested);
        return TypedResults.Ok(new FleetTakeResponse(allowed, remaining));
    }
}
