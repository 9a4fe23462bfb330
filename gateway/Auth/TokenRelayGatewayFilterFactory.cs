using Platform.Gateway.Configuration;
using Platform.Gateway.Filters;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Auth;

/// <summary><c>TokenRelay</c>: forwards the token JwtAuthentication validated as <c>Authorization: Bearer</c>.</summary>
internal sealed class TokenRelayGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.TokenRelay)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context) => DelegateGatewayFilter.Pre(ctx =>
    {
        if (GatewayRequestState.Find(ctx)?.AccessToken is { } token) ctx.Request.Headers.Authorization = "Bearer " + token;
    });
}
