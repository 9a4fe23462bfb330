using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Path;

/// <summary><c>StripPrefix=2</c>: <c>/name/blue/red</c> goes upstream as <c>/red</c>.</summary>
internal sealed class StripPrefixGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.StripPrefix)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var parts = args.Int("parts", 1, min: 0);
        return DelegateGatewayFilter.Pre(ctx =>
        {
            var segments = (ctx.Request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
            var trailing = ctx.Request.Path.Value?.EndsWith('/') == true && segments.Length > parts;
            ctx.Request.Path = "/" + string.Join('/', segments.Skip(parts)) + (trailing ? "/" : "");
        });
    }
}
