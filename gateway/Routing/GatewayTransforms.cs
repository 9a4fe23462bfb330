using Yarp.ReverseProxy.Transforms;

namespace Platform.Gateway.Routing;

/// <summary>
/// The YARP response transform (it runs when the upstream's headers arrive): it ends the attempt's response timeout,
/// and through it Retry and CircuitBreaker hold back an upstream answer.
/// </summary>
internal static class GatewayTransforms
{
    public static ValueTask ApplyResponse(ResponseTransformContext context)
    {
        var state = GatewayRequestState.Find(context.HttpContext);
        if (context.ProxyResponse is not null) state?.UpstreamAnswered?.Invoke();
        // Retry and CircuitBreaker need the response unwritten to try again or fall back.
        if (context.ProxyResponse is { } response
            && state?.SuppressUpstreamBody is { } suppress
            && suppress((int)response.StatusCode))
        {
            context.SuppressResponseBody = true;
        }
        return ValueTask.CompletedTask;
    }
}
