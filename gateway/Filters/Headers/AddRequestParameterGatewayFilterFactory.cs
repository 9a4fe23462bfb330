using Microsoft.AspNetCore.Http;
using Platform.Gateway.Configuration;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Filters.Headers;

/// <summary><c>AddRequestParameter=red, blue</c> appends <c>red=blue</c> to the query string.</summary>
internal sealed class AddRequestParameterGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.AddRequestParameter)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var name = args.Required("name");
        var value = args.Find("value") ?? "";
        return DelegateGatewayFilter.Pre(ctx =>
            ctx.Request.QueryString = ctx.Request.QueryString.Add(QueryString.Create(name, GatewayRequestState.Of(ctx).Expand(value))));
    }
}
