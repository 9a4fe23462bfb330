using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Caching;

/// <summary>
/// <c>LocalResponseCache=30s, 500KB</c> (<c>timeToLive</c>, <c>size</c>): GET answers 200 are kept in memory per path
/// and query and served without the upstream until they expire; <c>Cache-Control: no-cache</c> bypasses the cache.
/// </summary>
internal sealed class LocalResponseCacheGatewayFilterFactory(TimeProvider time) : BuiltInFilterFactory(FilterSchemas.LocalResponseCache)
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase) { "Transfer-Encoding", "Connection", "Date", "Server" };


    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var ttl = args.Duration("timeToLive", TimeSpan.FromMinutes(5));
        var sizeText = args.Find("size") ?? "1MB";
        if (!Durations.TryParseSize(sizeText, out var maxBytes)) throw new GatewayArgumentException("size", $"'{sizeText}' is not a size (bytes, KB, MB)");
        var entries = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);
        long used = 0;
        return new DelegateGatewayFilter(async (ctx, next) =>
        {
            if (!HttpMethods.IsGet(ctx.Request.Method) || ctx.Request.Headers.CacheControl.ToString().Contains("no-cache", StringComparison.OrdinalIgnoreCase))
            {
                await next(ctx);
                return;
            }
            var key = ctx.Request.Path + ctx.Request.QueryString;
            var now = time.GetUtcNow();
            if (entries.TryGetValue(key, out var hit) && hit.Expires > now)
            {
                ctx.Response.StatusCode = StatusCodes.Status200OK;
                foreach (var (k, v) in hit.Headers) ctx.Response.Headers[k] = v;
                ctx.Response.Headers.CacheControl = "max-age=" + ((int)(hit.Expires - now).TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await ctx.Response.Body.WriteAsync(hit.Body, ctx.RequestAborted);
                return;
            }
            var original = ctx.Response.Body;
            await using var tee = new TeeStream(original, maxBytes);
            ctx.Response.Body = tee;
            try { await next(ctx); }
            finally { ctx.Response.Body = original; }
            if (ctx.Response.StatusCode != StatusCodes.Status200OK || tee.Overflowed) return;
            var body = tee.Captured();
            if (Interlocked.Add(ref used, body.Length) > maxBytes)
            {
                // Full: drop the expired entries (or everything) to make room, never exceed the configured size.
                foreach (var e in entries.Where(e => e.Value.Expires <= now).ToList()) if (entries.TryRemove(e.Key, out var r)) Interlocked.Add(ref used, -r.Body.Length);
                if (Interlocked.Read(ref used) > maxBytes) { entries.Clear(); Interlocked.Exchange(ref used, body.Length); }
            }
            var headers = ctx.Response.Headers.Where(h => !HopHeaders.Contains(h.Key)).Select(h => KeyValuePair.Create(h.Key, h.Value)).ToArray();
            if (entries.TryGetValue(key, out var old)) Interlocked.Add(ref used, -old.Body.Length);
            entries[key] = new Entry(now + ttl, headers, body);
        });
    }

    private sealed record Entry(DateTimeOffset Expires, KeyValuePair<string, StringValues>[] Headers, byte[] Body);
}
