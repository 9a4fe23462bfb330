using Yarp.ReverseProxy.Transforms;

namespace Platform.Gateway.Routing;

/// <summary>The YARP transforms through which filters reach the outgoing request and the upstream response.</summary>
internal static class GatewayTransforms
{
    public static ValueTask ApplyRequest(RequestTransformContext context)
    {
        if (GatewayRequestState.Find(context.HttpContext) is { PreserveHost: true })
            context.ProxyRequest.Headers.Host = context.HttpContext.Request.Host.Value;
        return ValueTask.CompletedTask;
    }

    public static ValueTask ApplyResponse(ResponseTransformContext context)
    {
        // Retry and CircuitBreaker need the response unwritten to try again or fall back.
        if (context.ProxyResponse is { } response
            && GatewayRequestState.Find(context.HttpContext)?.SuppressUpstreamBody is { } suppress
            && suppress((int)response.StatusCode))
        {
            context.SuppressResponseBody = true;
        }
        return ValueTask.CompletedTask;
    }
}
