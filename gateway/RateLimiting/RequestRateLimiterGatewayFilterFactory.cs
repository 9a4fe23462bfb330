using System.Globalization;
using Microsoft.AspNetCore.Http;
using Platform.Gateway.Auth;
using Platform.Gateway.Configuration;
using Platform.Gateway.Filters;
using Platform.Gateway.RateLimiting.Fleet;

namespace Platform.Gateway.RateLimiting;

/// <summary>
/// <c>RequestRateLimiter</c> with Spring's arguments (<c>redis-rate-limiter.replenishRate</c>, <c>.burstCapacity</c>,
/// <c>.requestedTokens</c>, <c>key-resolver</c>, <c>deny-empty-key</c>; the prefix may be left out). Buckets live in
/// this process (<see cref="RateLimitBuckets"/>), per route namespace, route and key; over the limit answers 429.
/// Every answer carries the <c>X-RateLimit-*</c> headers.
/// </summary>
internal sealed class RequestRateLimiterGatewayFilterFactory(FleetBuckets buckets, ApiKeyStore keys) : BuiltInFilterFactory(FilterSchemas.RequestRateLimiter)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        string Arg(string n) => args.Find("redis-rate-limiter." + n) is not null ? "redis-rate-limiter." + n : n;
        var rate = args.Int(Arg("replenishRate"), min: 1);
        var burst = args.Int(Arg("burstCapacity"), rate, min: 1);
        var requested = args.Int(Arg("requestedTokens"), 1, min: 1);
        if (requested > burst) throw new GatewayArgumentException(Arg("requestedTokens"), $"{requested} can never be served with burstCapacity {burst}");
        var resolve = KeyResolver.Parse(args.Find("key-resolver") ?? args.Find("keyResolver"), keys, context.Route.Namespace);
        var denyEmpty = args.Bool("deny-empty-key", true);
        var scope = new BucketKey(context.Route.Namespace, context.RouteId, $"{rate}/{burst}", null);
        var rateText = rate.ToString(CultureInfo.InvariantCulture);
        var burstText = burst.ToString(CultureInfo.InvariantCulture);
        var requestedText = requested.ToString(CultureInfo.InvariantCulture);
        return new DelegateGatewayFilter(async (ctx, next) =>
        {
            var key = resolve(ctx);
            if (key is null)
            {
                if (denyEmpty) ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                else await next(ctx);
                return;
            }
            var (allowed, remaining) = await buckets.TakeAsync(scope with { Key = key }, burst, rate, requested, ctx.RequestAborted);
            var h = ctx.Response.Headers;
            h["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
            h["X-RateLimit-Replenish-Rate"] = rateText;
            h["X-RateLimit-Burst-Capacity"] = burstText;
            h["X-RateLimit-Requested-Tokens"] = requestedText;
            if (allowed)
            {
                await next(ctx);
                return;
            }
            ctx.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            h.RetryAfter = Math.Max(1, (int)Math.Ceiling(requested / (double)rate)).ToString(CultureInfo.InvariantCulture);
        });
    }
}
