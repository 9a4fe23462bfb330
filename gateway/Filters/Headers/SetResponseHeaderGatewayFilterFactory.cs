using Platform.Gateway.Configuration;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Filters.Headers;

/// <summary><c>SetResponseHeader=X-Response-Red, Blue</c> replaces the upstream's value.</summary>
internal sealed class SetResponseHeaderGatewayFilterFactory : IGatewayFilterFactory
{
    public string Name => "SetResponseHeader";
    public IReadOnlyList<string> ShortcutFields { get; } = ["name", "value"];

    public IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var name = args.Required("name");
        var value = args.Find("value") ?? "";
        return DelegateGatewayFilter.OnResponse(ctx => ctx.Response.Headers[name] = GatewayRequestState.Of(ctx).Expand(value));
    }
}
