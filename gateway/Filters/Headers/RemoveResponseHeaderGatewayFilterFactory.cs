using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Headers;

/// <summary><c>RemoveResponseHeader=X-Response-Foo</c>.</summary>
internal sealed class RemoveResponseHeaderGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.RemoveResponseHeader)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var name = args.Required("name");
        return DelegateGatewayFilter.OnResponse(ctx => ctx.Response.Headers.Remove(name));
    }
}
