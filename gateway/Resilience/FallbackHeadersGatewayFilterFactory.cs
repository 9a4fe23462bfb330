using Platform.Gateway.Auth;
using Platform.Gateway.Configuration;
using Platform.Gateway.Filters;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Resilience;

/// <summary>On a fallback route: tells the fallback upstream why (<c>Execution-Exception-Type</c>, <c>Execution-Exception-Message</c>, root cause).</summary>
internal sealed class FallbackHeadersGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.FallbackHeaders)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var typeHeader = args.Find("executionExceptionTypeHeaderName") ?? "Execution-Exception-Type";
        var messageHeader = args.Find("executionExceptionMessageHeaderName") ?? "Execution-Exception-Message";
        var rootTypeHeader = args.Find("rootCauseExceptionTypeHeaderName") ?? "Root-Cause-Exception-Type";
        var rootMessageHeader = args.Find("rootCauseExceptionMessageHeaderName") ?? "Root-Cause-Exception-Message";
        return DelegateGatewayFilter.Pre(ctx =>
        {
            if (GatewayRequestState.Find(ctx)?.FallbackException is not { } ex) return;
            var root = ex;
            while (root.InnerException is not null) root = root.InnerException;
            ctx.Request.Headers[typeHeader] = ex.GetType().FullName;
            ctx.Request.Headers[messageHeader] = Problems.HeaderSafe(ex.Message);
            ctx.Request.Headers[rootTypeHeader] = root.GetType().FullName;
            ctx.Request.Headers[rootMessageHeader] = Problems.HeaderSafe(root.Message);
        });
    }
}
