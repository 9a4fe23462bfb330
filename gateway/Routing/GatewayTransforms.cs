using Yarp.ReverseProxy.Transforms;

namespace Platform.Gateway.Routing;

/// <summary>The YARP transform through which Retry and CircuitBreaker hold back an upstream answer.</summary>
internal static class GatewayTransforms
{
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
