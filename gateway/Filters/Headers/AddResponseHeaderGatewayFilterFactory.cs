using Platform.Gateway.Configuration;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Filters.Headers;

/// <summary><c>AddResponseHeader=X-Response-Red, Blue</c> (appends to any value the upstream sent).</summary>
internal sealed class AddResponseHeaderGatewayFilterFactory : IGatewayFilterFactory
{
    public string Name => "AddResponseHeader";
    public IReadOnlyList<string> ShortcutFields { get; } = ["name", "value"];

    public IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var name = args.Required("name");
        var value = args.Find("value") ?? "";
        return DelegateGatewayFilter.OnResponse(ctx => ctx.Response.Headers.Append(name, GatewayRequestState.Of(ctx).Expand(value)));
    }
}
