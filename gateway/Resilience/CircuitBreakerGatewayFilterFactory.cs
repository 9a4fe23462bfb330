using System.Globalization;
using Microsoft.AspNetCore.Http;
using Platform.Gateway.Auth;
using Platform.Gateway.Configuration;
using Platform.Gateway.Filters;
using Platform.Gateway.Routing;
using Polly;
using Polly.CircuitBreaker;
using Yarp.ReverseProxy.Forwarder;

namespace Platform.Gateway.Resilience;

/// <summary>
/// <c>CircuitBreaker</c> (Polly): <c>name</c>, <c>fallbackUri</c> (<c>forward:/path</c>), <c>statusCodes</c> that count as
/// failures besides connection errors and timeouts, and <c>failureRatio</c> (0.5), <c>minimumThroughput</c> (10),
/// <c>samplingDuration</c> (10s), <c>breakDuration</c> (5s). A failure or an open circuit is served by the fallback
/// route, or answered 503 when there is none. One breaker per route.
/// </summary>
internal sealed class CircuitBreakerGatewayFilterFactory(ForwardDispatcher dispatcher, TimeProvider time) : BuiltInFilterFactory(FilterSchemas.CircuitBreaker)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var name = args.Find("name") ?? context.RouteId;
        var fallback = args.Find("fallbackUri");
        if (fallback is not null && !fallback.StartsWith("forward:/", StringComparison.Ordinal))
            throw new GatewayArgumentException("fallbackUri", $"'{fallback}' must be forward:/path");
        var fallbackPath = fallback?["forward:".Length..];
        var failing = StatusSet.Parse(args.List("statusCodes", required: false), [], "statusCodes");
        bool Failed(HttpContext c) => c.Features.Get<IForwarderErrorFeature>() is not null
            || c.Response.StatusCode == StatusCodes.Status504GatewayTimeout || failing.Contains(c.Response.StatusCode);
        var options = new CircuitBreakerStrategyOptions<HttpContext>
        {
            FailureRatio = args.Double("failureRatio", 0.5),
            MinimumThroughput = args.Int("minimumThroughput", 10, min: 2),
            SamplingDuration = args.Duration("samplingDuration", TimeSpan.FromSeconds(10)),
            BreakDuration = args.Duration("breakDuration", TimeSpan.FromSeconds(5)),
            ShouldHandle = a => ValueTask.FromResult(a.Outcome.Result is { } c && Failed(c)),
        };
        if (options.FailureRatio is <= 0 or > 1) throw new GatewayArgumentException("failureRatio", "must be in (0, 1]");
        if (options.SamplingDuration < TimeSpan.FromMilliseconds(500)) throw new GatewayArgumentException("samplingDuration", "must be >= 500ms");
        if (options.BreakDuration < TimeSpan.FromMilliseconds(500)) throw new GatewayArgumentException("breakDuration", "must be >= 500ms");
        var pipeline = new ResiliencePipelineBuilder<HttpContext> { TimeProvider = time }.AddCircuitBreaker(options).Build();

        return new DelegateGatewayFilter(async (ctx, next) =>
        {
            var state = GatewayRequestState.Of(ctx);
            var outer = state.SuppressUpstreamBody;
            if (fallbackPath is not null) state.SuppressUpstreamBody = s => failing.Contains(s) || outer?.Invoke(s) == true;
            try
            {
                var result = await pipeline.ExecuteAsync(async (c, _) => { await next(c); return c; }, ctx, ctx.RequestAborted);
                if (!Failed(result) || ctx.Response.HasStarted) return;
                state.FallbackException = new HttpRequestException(
                    ctx.Features.Get<IForwarderErrorFeature>()?.Exception?.Message ?? $"upstream answered {ctx.Response.StatusCode.ToString(CultureInfo.InvariantCulture)}");
            }
            catch (BrokenCircuitException ex)
            {
                state.FallbackException = ex;
            }
            finally
            {
                state.SuppressUpstreamBody = outer;
            }
            ctx.Response.Clear();
            ctx.Features.Set<IForwarderErrorFeature>(null);
            if (fallbackPath is null)
            {
                await Problems.WriteAsync(ctx, StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                    $"circuit breaker '{name}': {state.FallbackException!.Message}");
                return;
            }
            await dispatcher.ForwardAsync(ctx, fallbackPath);
        });
    }
}
