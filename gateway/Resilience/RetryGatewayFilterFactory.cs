using Microsoft.AspNetCore.Http;
using Platform.Gateway.Configuration;
using Platform.Gateway.Filters;
using Platform.Gateway.Routing;
using Polly;
using Polly.Retry;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Platform.Gateway.Resilience;

/// <summary>
/// <c>Retry</c> with Spring's arguments: <c>retries</c> (3), <c>statuses</c>, <c>series</c> (SERVER_ERROR), <c>methods</c>
/// (GET), <c>backoff.firstBackoff</c>/<c>maxBackoff</c> (exponential, Polly), <c>jitter</c>. Connection failures are
/// always retried. Each retry goes to an instance not tried yet when the cluster has one, and the failed answer's
/// body is never sent, so the client sees only the last attempt. On its route the gateway's transparent connection
/// retry (<c>Gateway:HttpClient:ConnectionRetries</c>) stays out, for every method, so the two never multiply.
/// </summary>
internal sealed class RetryGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.Retry)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var retries = args.Int("retries", 3, min: 1);
        var statuses = StatusSet.Parse(args.List("statuses", required: false), args.List("series", required: false) is { Count: > 0 } s ? s : (args.Find("statuses") is null ? ["SERVER_ERROR"] : []), "statuses");
        var methods = (args.List("methods", required: false) is { Count: > 0 } m ? m : ["GET"]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var first = args.Duration("backoff.firstBackoff", TimeSpan.Zero);
        var max = args.Duration("backoff.maxBackoff", first == TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromSeconds(5));
        if (max < first) throw new GatewayArgumentException("backoff.maxBackoff", "must be >= backoff.firstBackoff");
        var jitter = args.Bool("jitter", first > TimeSpan.Zero);

        bool Retryable(HttpContext ctx) =>
            !ctx.Response.HasStarted && (ctx.Features.Get<IForwarderErrorFeature>() is not null || statuses.Contains(ctx.Response.StatusCode));

        var pipeline = new ResiliencePipelineBuilder<HttpContext>().AddRetry(new RetryStrategyOptions<HttpContext>
        {
            MaxRetryAttempts = retries,
            BackoffType = DelayBackoffType.Exponential,
            Delay = first,
            MaxDelay = max > TimeSpan.Zero ? max : null,
            UseJitter = jitter,
            ShouldHandle = a => ValueTask.FromResult(a.Outcome.Result is { } c && Retryable(c)),
        }).Build();

        return new DelegateGatewayFilter(async (ctx, next) =>
        {
            GatewayRequestState.Of(ctx).RetriedByRoute = true;
            if (!methods.Contains(ctx.Request.Method))
            {
                await next(ctx);
                return;
            }
            ctx.Request.EnableBuffering();
            var feature = ctx.Features.Get<IReverseProxyFeature>();
            var candidates = feature?.AvailableDestinations;
            var tried = new List<DestinationState>();
            var state = GatewayRequestState.Of(ctx);
            var outer = state.SuppressUpstreamBody;
            var attempt = 0;
            state.SuppressUpstreamBody = status => (attempt < retries && statuses.Contains(status)) || outer?.Invoke(status) == true;
            try
            {
                await pipeline.ExecuteAsync(async (c, _) =>
                {
                    if (attempt > 0)
                    {
                        c.Response.Clear();
                        c.Features.Set<IForwarderErrorFeature>(null);
                        if (c.Request.Body.CanSeek) c.Request.Body.Position = 0;
                        if (feature is not null && candidates is not null)
                        {
                            var fresh = candidates.Where(d => !tried.Contains(d)).ToList();
                            feature.AvailableDestinations = fresh.Count > 0 ? fresh : candidates;
                        }
                    }
                    await next(c);
                    attempt++;
                    if (feature?.ProxiedDestination is { } d) tried.Add(d);
                    return c;
                }, ctx, ctx.RequestAborted);
            }
            finally
            {
                state.SuppressUpstreamBody = outer;
            }
        });
    }
}
