using Platform.Gateway.Configuration;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Filters.Path;

/// <summary><c>PrefixPath=/mypath</c>: <c>/hello</c> goes upstream as <c>/mypath/hello</c>.</summary>
internal sealed class PrefixPathGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.PrefixPath)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var prefix = args.Required("prefix");
        if (!prefix.StartsWith('/')) throw new GatewayArgumentException("prefix", $"'{prefix}' must start with '/'");
        return DelegateGatewayFilter.Pre(ctx =>
            ctx.Request.Path = new Microsoft.AspNetCore.Http.PathString(GatewayRequestState.Of(ctx).Expand(prefix).TrimEnd('/')).Add(ctx.Request.Path));
    }
}
