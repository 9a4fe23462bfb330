using Microsoft.Extensions.Primitives;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Headers;

/// <summary><c>MapRequestHeader=Blue, X-Request-Red</c> copies the values of <c>Blue</c> into <c>X-Request-Red</c>.</summary>
internal sealed class MapRequestHeaderGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.MapRequestHeader)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var from = args.Required("fromHeader");
        var to = args.Required("toHeader");
        return DelegateGatewayFilter.Pre(ctx =>
        {
            if (ctx.Request.Headers.TryGetValue(from, out var values))
                ctx.Request.Headers[to] = StringValues.Concat(ctx.Request.Headers[to], values);
        });
    }
}
