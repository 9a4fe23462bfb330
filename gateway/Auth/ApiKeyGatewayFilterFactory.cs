using Microsoft.AspNetCore.Http;
using Platform.Gateway.Configuration;
using Platform.Gateway.Filters;

namespace Platform.Gateway.Auth;

/// <summary>
/// <c>ApiKey</c> (args <c>header</c>, default <c>X-Api-Key</c>; <c>roles</c>, <c>scopes</c>): 401 without a key of the
/// route's scope (<see cref="ApiKeyStore"/>: a Route resource's namespace, else the configured keys), 403 without the
/// roles. A key of another namespace is as unknown as a made-up one. The key header is not forwarded.
/// </summary>
internal sealed class ApiKeyGatewayFilterFactory(ApiKeyStore store) : BuiltInFilterFactory(FilterSchemas.ApiKey)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var header = args.Find("header") ?? "X-Api-Key";
        var requirement = RoleRequirement.From(args);
        var scope = context.Route.Namespace;
        return new DelegateGatewayFilter(async (ctx, next) =>
        {
            var presented = ctx.Request.Headers[header].ToString();
            var principal = presented.Length > 0 ? store.Authenticate(presented, scope) : null;
            if (principal is null)
            {
                await Problems.WriteAsync(ctx, StatusCodes.Status401Unauthorized, "Unauthorized",
                    presented.Length == 0 ? $"{header}: an API key is required" : $"{header}: unknown API key", $"ApiKey header=\"{header}\"");
                return;
            }
            ctx.User = principal;
            if (requirement.Missing(principal) is { } missing)
            {
                await requirement.ForbidAsync(ctx, missing);
                return;
            }
            ctx.Request.Headers.Remove(header);
            await next(ctx);
        });
    }
}
