using Microsoft.AspNetCore.Http;
using Platform.Gateway.Configuration;
using Platform.Gateway.Filters;

namespace Platform.Gateway.GatewayApi;

/// <summary>
/// Stands in an HTTPRoute rule for a reference the gateway cannot resolve: an <c>ExtensionRef</c> filter (a kind it does
/// not know, a RouteFilter that does not exist) or a backendRef (no such Service, another kind, no ReferenceGrant), and
/// for a rule with no backend to send to. As Gateway API says, none is skipped: the requests it would have processed are
/// answered 500, so a weighted backend that is refused costs its share of the rule's requests and no more. Only <see cref="HttpRouteRoutes"/> names it: it
/// has no schema in <see cref="FilterSchemas"/>, so a Route resource cannot.
/// </summary>
internal sealed class UnresolvedRefFilterFactory : IGatewayFilterFactory
{
    public const string FilterName = "UnresolvedRef";

    public string Name => FilterName;
    public IReadOnlyList<string> ShortcutFields { get; } = ["field", "reason"];

    public IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var detail = $"HTTPRoute {context.Route.Metadata.GetValueOrDefault(HttpRouteRoutes.MetadataKey)} {args.Required("field")}: {args.Required("reason")}";
        return new DelegateGatewayFilter((ctx, _) => TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError,
            title: "Internal Server Error", instance: ctx.Request.Path, detail: detail).ExecuteAsync(ctx));
    }
}
