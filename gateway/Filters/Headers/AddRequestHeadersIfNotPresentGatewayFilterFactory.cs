using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Headers;

/// <summary><c>AddRequestHeadersIfNotPresent=X-Request-Color-1:blue,X-Request-Color-2:green</c>.</summary>
internal sealed class AddRequestHeadersIfNotPresentGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.AddRequestHeadersIfNotPresent)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var pairs = args.List("headers").Select(h =>
        {
            var colon = h.IndexOf(':');
            if (colon <= 0) throw new GatewayArgumentException("headers", $"'{h}' is not name:value");
            var (name, value) = (h[..colon].Trim(), h[(colon + 1)..].Trim());
            HeaderTemplate.Validate(name, value, "headers");
            return (name, value);
        }).ToArray();
        return DelegateGatewayFilter.Pre(ctx =>
        {
            foreach (var (name, value) in pairs)
            {
                if (!ctx.Request.Headers.ContainsKey(name)) ctx.Request.Headers[name] = HeaderTemplate.Expand(ctx, name, value);
            }
        });
    }
}
