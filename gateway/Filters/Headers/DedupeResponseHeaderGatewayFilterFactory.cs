using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Headers;

/// <summary><c>DedupeResponseHeader=Access-Control-Allow-Credentials Access-Control-Allow-Origin, RETAIN_FIRST</c>.</summary>
internal sealed class DedupeResponseHeaderGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.DedupeResponseHeader)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var names = args.Required("name").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var strategy = (args.Find("strategy") ?? "RETAIN_FIRST").ToUpperInvariant();
        if (strategy is not ("RETAIN_FIRST" or "RETAIN_LAST" or "RETAIN_UNIQUE"))
            throw new GatewayArgumentException("strategy", $"'{strategy}' is not RETAIN_FIRST, RETAIN_LAST or RETAIN_UNIQUE");
        return DelegateGatewayFilter.OnResponse(ctx =>
        {
            foreach (var name in names)
            {
                if (!ctx.Response.Headers.TryGetValue(name, out var values) || values.Count < 2) continue;
                ctx.Response.Headers[name] = strategy switch
                {
                    "RETAIN_FIRST" => values[0],
                    "RETAIN_LAST" => values[^1],
                    _ => values.Distinct(StringComparer.Ordinal).ToArray(),
                };
            }
        });
    }
}
