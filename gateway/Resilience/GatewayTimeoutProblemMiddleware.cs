using Microsoft.AspNetCore.Http;
using Platform.Gateway.Auth;
using Yarp.ReverseProxy.Forwarder;

namespace Platform.Gateway.Resilience;

/// <summary>
/// Writes the 504 ProblemDetails of a response timeout once the route's filters are done with the request: written
/// where the timeout happens, the body would start the response and leave Retry and CircuitBreaker nothing to redo.
/// </summary>
internal sealed class GatewayTimeoutProblemMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (!context.Response.HasStarted
            && context.Response.StatusCode == StatusCodes.Status504GatewayTimeout
            && context.Features.Get<IForwarderErrorFeature>()?.Exception is ResponseTimeoutException or RequestTimeoutException)
        {
            await Problems.WriteAsync(context, StatusCodes.Status504GatewayTimeout, "Gateway Timeout", context.Features.Get<IForwarderErrorFeature>()!.Exception!.Message);
        }
    }
}
