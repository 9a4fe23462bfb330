using Platform.Gateway.Configuration;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Filters.Path;

/// <summary><c>SetPath=/{segment}</c> with variables captured by the Path predicate.</summary>
internal sealed class SetPathGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.SetPath)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var template = args.Required("template");
        if (!template.StartsWith('/')) throw new GatewayArgumentException("template", $"'{template}' must start with '/'");
        return DelegateGatewayFilter.Pre(ctx => ctx.Request.Path = GatewayRequestState.Of(ctx).Expand(template));
    }
}
