using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Headers;

/// <summary>
/// <c>PreserveHostHeader</c>: the upstream sees the client's Host header instead of its own address. YARP decides
/// the Host header per route, so the runtime turns this filter's presence into the route's
/// <c>RequestHeaderOriginalHost</c> transform; the filter itself has nothing left to do per request.
/// </summary>
internal sealed class PreserveHostHeaderGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.PreserveHostHeader)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context) => new DelegateGatewayFilter((ctx, next) => next(ctx));
}
