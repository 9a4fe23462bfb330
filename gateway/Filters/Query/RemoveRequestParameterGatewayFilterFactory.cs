using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Query;

/// <summary><c>RemoveRequestParameter=red</c>: the query parameter <c>red</c> (every occurrence) is not sent upstream.</summary>
internal sealed class RemoveRequestParameterGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.RemoveRequestParameter)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var name = args.Required("name");
        return DelegateGatewayFilter.Pre(ctx => ctx.Request.QueryString = QueryParameters.Without(ctx.Request.QueryString, name, out _));
    }
}
