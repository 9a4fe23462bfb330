using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Platform.Gateway.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Platform.Gateway.Resilience;

/// <summary>
/// The route's response timeout around one forwarding attempt, between YARP's passive health middleware and its
/// forwarder. YARP forwards with <see cref="HttpContext.RequestAborted"/>, so a linked token cancels the upstream call;
/// the forwarder then reports <see cref="ForwarderError.RequestCanceled"/> with the request's token canceled, which
/// YARP's <c>TransportFailureRate</c> policy takes for a client that went away and does not count. So the client's token
/// is restored and the error rewritten as the forwarder reports its own timeout (<see cref="ForwarderError.RequestTimedOut"/>,
/// 504) before passive health looks: a hanging instance gets ejected like one that refuses connections.
/// </summary>
internal sealed class ResponseTimeoutMiddleware(RequestDelegate next, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var state = GatewayRequestState.Find(context);
        if (state?.Route?.ResponseTimeout is not { } timeout)
        {
            await next(context);
            return;
        }
        var clientAborted = context.RequestAborted;
        var body = context.Request.Body;
        using var deadline = new ResponseDeadline(timeout, time, clientAborted);
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
            context.Request.Body = new DeadlineRequestStream(body, deadline);
        context.RequestAborted = deadline.Token;
        state.UpstreamAnswered = deadline.Stop;
        try
        {
            await next(context);
        }
        finally
        {
            state.UpstreamAnswered = null;
            context.RequestAborted = clientAborted;
            context.Request.Body = body;
        }
        if (deadline.Expired && !clientAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
            context.Features.Set<IForwarderErrorFeature>(new ResponseTimeoutError(timeout));
        }
    }
}
