using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Headers;

/// <summary><c>SetRequestHeader=X-Request-Red, Blue</c> replaces every value of the header.</summary>
internal sealed class SetRequestHeaderGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.SetRequestHeader)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var name = args.Required("name");
        var value = args.Find("value") ?? "";
        HeaderTemplate.Validate(name, value);
        return DelegateGatewayFilter.Pre(ctx => ctx.Request.Headers[name] = HeaderTemplate.Expand(ctx, name, value));
    }
}
