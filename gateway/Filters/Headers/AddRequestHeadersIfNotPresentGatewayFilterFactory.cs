using Platform.Gateway.Configuration;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Filters.Headers;

/// <summary><c>AddRequestHeadersIfNotPresent=X-Request-Color-1:blue,X-Request-Color-2:green</c>.</summary>
internal sealed class AddRequestHeadersIfNotPresentGatewayFilterFactory : IGatewayFilterFactory
{
    public string Name => "AddRequestHeadersIfNotPresent";
    public IReadOnlyList<string> ShortcutFields { get; } = ["headers"];
    public ShortcutType ShortcutType => ShortcutType.GatherList;

    public IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var pairs = args.List("headers").Select(h =>
        {
            var colon = h.IndexOf(':');
            return colon > 0 ? (h[..colon].Trim(), h[(colon + 1)..].Trim()) : throw new GatewayArgumentException("headers", $"'{h}' is not name:value");
        }).ToArray();
        return DelegateGatewayFilter.Pre(ctx =>
        {
            foreach (var (name, value) in pairs)
            {
                if (!ctx.Request.Headers.ContainsKey(name)) ctx.Request.Headers[name] = GatewayRequestState.Of(ctx).Expand(value);
            }
        });
    }
}
