using Microsoft.AspNetCore.Http;
using Platform.Gateway.Configuration;
using Platform.Gateway.Filters;

namespace Platform.Gateway.Auth;

/// <summary><c>RequireRoles=admin,ops</c> (or args <c>roles</c>/<c>scopes</c>) after JwtAuthentication or ApiKey.</summary>
internal sealed class RequireRolesGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.RequireRoles)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var requirement = RoleRequirement.From(args);
        return new DelegateGatewayFilter(async (ctx, next) =>
        {
            if (ctx.User.Identity?.IsAuthenticated != true)
            {
                await Problems.WriteAsync(ctx, StatusCodes.Status401Unauthorized, "Unauthorized", "route requires an authenticated caller", "Bearer");
                return;
            }
            if (requirement.Missing(ctx.User) is { } missing)
            {
                await requirement.ForbidAsync(ctx, missing);
                return;
            }
            await next(ctx);
        });
    }
}
