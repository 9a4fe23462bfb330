using Microsoft.AspNetCore.Http;
using Platform.Gateway.Configuration;
using Platform.Gateway.Filters;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Auth;

/// <summary>
/// <c>JwtAuthentication</c> (args <c>roles</c>, <c>scopes</c>): a valid bearer token is required (401 otherwise),
/// with the listed roles/scopes (403 otherwise); 503 while the issuer's keys cannot be loaded. The gateway terminates the credential: the Authorization header
/// is not forwarded unless the route also has <c>TokenRelay</c>.
/// </summary>
internal sealed class JwtAuthenticationGatewayFilterFactory(JwtValidator validator) : BuiltInFilterFactory(FilterSchemas.JwtAuthentication)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var requirement = RoleRequirement.From(args);
        return new DelegateGatewayFilter(async (ctx, next) =>
        {
            var header = ctx.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                await Problems.WriteAsync(ctx, StatusCodes.Status401Unauthorized, "Unauthorized", "Authorization: a Bearer token is required", "Bearer");
                return;
            }
            var token = header[7..].Trim();
            var (principal, error, unavailable) = await validator.ValidateAsync(token, ctx.RequestAborted);
            if (unavailable)
            {
                ctx.Response.Headers.RetryAfter = "5";
                await Problems.WriteAsync(ctx, StatusCodes.Status503ServiceUnavailable, "Service Unavailable", $"Authorization: {error}");
                return;
            }
            if (principal is null)
            {
                await Problems.WriteAsync(ctx, StatusCodes.Status401Unauthorized, "Unauthorized", $"Authorization: {error}",
                    $"Bearer error=\"invalid_token\", error_description=\"{Problems.HeaderSafe(error)}\"");
                return;
            }
            ctx.User = principal;
            if (requirement.Missing(principal) is { } missing)
            {
                await requirement.ForbidAsync(ctx, missing);
                return;
            }
            GatewayRequestState.Of(ctx).AccessToken = token;
            ctx.Request.Headers.Authorization = default;
            await next(ctx);
        });
    }
}
