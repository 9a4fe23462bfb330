using System.Net.Http;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Platform.Gateway.Configuration;
using Platform.Gateway.Routing;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Platform.Gateway.Resilience;

/// <summary>
/// Tries an idempotent request (<c>Gateway:HttpClient:RetryMethods</c>) again on an instance not tried yet, up to
/// <c>Gateway:HttpClient:ConnectionRetries</c> times, when its instance refused or dropped the connection before any
/// of its answer reached the client: before the response headers, or after them but before the first body byte (a
/// SIGKILLed process that had written its headers; YARP would answer 502). RFC 9110 9.2.2 lets a client repeat an
/// idempotent request after such a failure. It sits between the route's filters and YARP's balancing, so each attempt
/// is balanced and reported to passive health on its own. Never once the client's response started, never after a
/// response timeout (the app may still be working on the request; a route that wants that declares <c>Retry</c>),
/// and never on a route with <c>Retry</c>, whose policy then governs alone.
/// </summary>
internal sealed class ConnectionRetryMiddleware(RequestDelegate next, IOptions<GatewayOptions> options, UpstreamFailureReporter reporter)
{
    private readonly int _retries = options.Value.HttpClient.ConnectionRetries;
    private readonly HashSet<string> _methods = new(options.Value.HttpClient.EffectiveRetryMethods, StringComparer.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        var state = GatewayRequestState.Find(context);
        var feature = context.Features.Get<IReverseProxyFeature>();
        if (state?.Route is not { } route || feature is null)
        {
            await next(context);
            return;
        }
        var candidates = feature.AvailableDestinations;
        var retries = state.RetriedByRoute || candidates.Count < 2 || !_methods.Contains(context.Request.Method) ? 0 : _retries;
        if (retries > 0 && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true) context.Request.EnableBuffering();
        List<DestinationState>? tried = null;
        for (var attempt = 0; ; attempt++)
        {
            await next(context);
            var error = context.Features.Get<IForwarderErrorFeature>();
            if (error is null || feature.ProxiedDestination is not { } failed) return;
            var reason = ConnectionFailure(error);
            List<DestinationState>? rest = null;
            // An aborted request is not tried again; its failure is still reported when the instance caused it (YARP
            // aborts the client's connection itself when an instance dies mid-answer, so the abort may come first).
            if (reason is not null && attempt < retries && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                (tried ??= []).Add(failed);
                rest = candidates.Where(d => !tried.Contains(d)).ToList();
            }
            if (rest is not { Count: > 0 })
            {
                if (IsDestinationFault(error.Error) || context.Response.StatusCode >= 500)
                    reporter.Failed(route.Id, failed, Describe(error), context.Response.StatusCode);
                return;
            }
            reporter.Retrying(route.Id, failed, reason!);
            context.Response.Clear();
            context.Features.Set<IForwarderErrorFeature>(null);
            if (context.Request.Body.CanSeek) context.Request.Body.Position = 0;
            feature.AvailableDestinations = rest;
        }
    }

    /// <summary>The errors YARP's passive health blames on the instance (the others are the client's).</summary>
    private static bool IsDestinationFault(ForwarderError error) => error is ForwarderError.Request or ForwarderError.RequestTimedOut
        or ForwarderError.RequestBodyDestination or ForwarderError.ResponseBodyDestination
        or ForwarderError.UpgradeRequestDestination or ForwarderError.UpgradeResponseDestination;

    /// <summary>
    /// Why the attempt's connection failed, or null when it did not fail that way. YARP reports
    /// <see cref="ForwarderError.Request"/> when no response headers came back; of those, an answer that did not parse
    /// or broke a limit came from a live instance and is not retried, nor is a request YARP could not build.
    /// <see cref="ForwarderError.ResponseBodyDestination"/> is the body's read failing: retried only when the
    /// connection ended or was reset (the caller checks that nothing reached the client).
    /// </summary>
    internal static string? ConnectionFailure(IForwarderErrorFeature? error)
    {
        if (error is { Error: ForwarderError.ResponseBodyDestination, Exception: { } body })
        {
            if (Find<SocketException>(body) is { } reset) return reset.SocketErrorCode.ToString();
            return Find<HttpIOException>(body) is { HttpRequestError: HttpRequestError.ResponseEnded } ? nameof(HttpRequestError.ResponseEnded) : null;
        }
        if (error is not { Error: ForwarderError.Request, Exception: HttpRequestException e }) return null;
        var connectionLevel = e.HttpRequestError switch
        {
            HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError
                or HttpRequestError.ResponseEnded => true,
            HttpRequestError.Unknown => Find<IOException>(e) is not null,
            _ => false,
        };
        if (!connectionLevel) return null;
        return Find<SocketException>(e) is { } s ? s.SocketErrorCode.ToString() : e.HttpRequestError.ToString();
    }

    /// <summary>YARP's error with the exceptions under it, as <c>Request: HttpRequestException(ResponseEnded) ← IOException ← SocketException(ConnectionReset)</c>.</summary>
    internal static string Describe(IForwarderErrorFeature error)
    {
        var parts = new List<string> { error.Error.ToString() };
        for (var x = error.Exception; x is not null && parts.Count < 5; x = x.InnerException)
        {
            parts.Add(x switch
            {
                HttpRequestException h => $"HttpRequestException({h.HttpRequestError})",
                SocketException so => $"SocketException({so.SocketErrorCode})",
                _ => x.GetType().Name,
            });
        }
        return parts[0] + (parts.Count > 1 ? ": " + string.Join(" ← ", parts.Skip(1)) : "");
    }

    private static T? Find<T>(Exception e) where T : Exception
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is T t) return t;
        }
        return null;
    }
}
