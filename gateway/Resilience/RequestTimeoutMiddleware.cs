using System.Xml;
using Microsoft.AspNetCore.Http;
using Platform.Gateway.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Platform.Gateway.Resilience;

/// <summary>
/// The route's request timeout (<see cref="CompiledRoute.RequestTimeout"/>) around everything the route does with a
/// request: its filters, every attempt and the response body. Past it the request's token is canceled, which ends the
/// upstream call (a response already streaming is cut off), and a response not yet started becomes a 504 (written by
/// <see cref="GatewayTimeoutProblemMiddleware"/>).
/// </summary>
internal sealed class RequestTimeoutMiddleware(RequestDelegate next, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (GatewayRequestState.Find(context)?.Route?.RequestTimeout is not { } timeout)
        {
            await next(context);
            return;
        }
        var clientAborted = context.RequestAborted;
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(clientAborted, timer.Token);
        context.RequestAborted = linked.Token;
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !clientAborted.IsCancellationRequested)
        {
            // A filter that waited on the request's token; answered below.
        }
        finally
        {
            context.RequestAborted = clientAborted;
        }
        // A response already started was cut off with the upstream call (the forwarder aborts it).
        if (!timer.IsCancellationRequested || clientAborted.IsCancellationRequested || context.Response.HasStarted) return;
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
        context.Features.Set<IForwarderErrorFeature>(new RequestTimeoutError(timeout));
    }

    private sealed class RequestTimeoutError(TimeSpan timeout) : IForwarderErrorFeature
    {
        public ForwarderError Error => ForwarderError.RequestTimedOut;
        public Exception? Exception { get; } = new RequestTimeoutException(timeout);
    }
}

/// <summary>A request that the route did not finish within its request timeout.</summary>
internal sealed class RequestTimeoutException(TimeSpan timeout)
    : TimeoutException($"Request took longer than timeout: {XmlConvert.ToString(timeout)}");
