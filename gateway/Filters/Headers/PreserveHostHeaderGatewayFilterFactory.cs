using Platform.Gateway.Configuration;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Filters.Headers;

/// <summary><c>PreserveHostHeader</c>: the upstream sees the client's Host header instead of its own address.</summary>
internal sealed class PreserveHostHeaderGatewayFilterFactory : IGatewayFilterFactory
{
    public string Name => "PreserveHostHeader";
    public IReadOnlyList<string> ShortcutFields { get; } = [];

    public IGatewayFilter Create(ComponentArgs args, FilterContext context) =>
        DelegateGatewayFilter.Pre(ctx => GatewayRequestState.Of(ctx).PreserveHost = true);
}
