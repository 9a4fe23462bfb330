using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Headers;

/// <summary><c>RemoveRequestHeader=X-Request-Foo</c>.</summary>
internal sealed class RemoveRequestHeaderGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.RemoveRequestHeader)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var name = args.Required("name");
        return DelegateGatewayFilter.Pre(ctx => ctx.Request.Headers.Remove(name));
    }
}
