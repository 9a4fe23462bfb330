using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Headers;

/// <summary><c>AddRequestHeader=X-Request-red, blue</c> (the value may use <c>{segment}</c> variables).</summary>
internal sealed class AddRequestHeaderGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.AddRequestHeader)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var name = args.Required("name");
        var value = args.Find("value") ?? "";
        HeaderTemplate.Validate(name, value);
        return DelegateGatewayFilter.Pre(ctx =>
            ctx.Request.Headers.Append(name, HeaderTemplate.Expand(ctx, name, value)));
    }
}
