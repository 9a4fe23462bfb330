using Platform.Gateway.Configuration;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Filters.Headers;

/// <summary>
/// <c>SetRequestHostHeader=example.org</c> (<c>host</c>, <c>{variables}</c> expanded): the upstream gets this <c>Host</c>
/// header instead of its own address's (the request still goes to the route's destination).
/// </summary>
internal sealed class SetRequestHostHeaderGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.SetRequestHostHeader)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var host = args.Required("host");
        HeaderTemplate.Validate("Host", host, argument: "host");
        return DelegateGatewayFilter.Pre(ctx => GatewayRequestState.Of(ctx).RequestHost = HeaderTemplate.Expand(ctx, "Host", host));
    }
}
