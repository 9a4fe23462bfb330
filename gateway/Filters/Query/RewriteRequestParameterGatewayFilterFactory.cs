using Microsoft.AspNetCore.Http;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Query;

/// <summary>
/// <c>RewriteRequestParameter=campaign,fall2023</c> (<c>name</c>, <c>replacement</c>): a request carrying
/// <c>campaign</c> (once or several times) goes upstream with the single <c>campaign=fall2023</c>; one without it is unchanged.
/// </summary>
internal sealed class RewriteRequestParameterGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.RewriteRequestParameter)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var name = args.Required("name");
        var replacement = args.Find("replacement") ?? throw new GatewayArgumentException("replacement", "required");
        return DelegateGatewayFilter.Pre(ctx =>
        {
            var rest = QueryParameters.Without(ctx.Request.QueryString, name, out var found);
            if (found) ctx.Request.QueryString = rest.Add(QueryString.Create(name, replacement));
        });
    }
}
