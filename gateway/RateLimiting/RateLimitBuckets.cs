using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.RateLimiting;

/// <summary>
/// The token buckets of every <c>RequestRateLimiter</c>, in one store that outlives route recompiles (a change to any
/// route used to start every bucket over) and holds at most <c>Gateway:RateLimiter:MaxBuckets</c>. When it is full,
/// the buckets that refilled to capacity are dropped — a full bucket is what a new one would be, so nothing is
/// forgotten — at most once a second; a drained bucket is never dropped, so spraying new keys can neither reset a
/// caller's limit nor grow memory. Keys that still find no room share their route's overflow bucket.
/// </summary>
internal sealed class RateLimitBuckets(TimeProvider time, IOptions<GatewayOptions> options)
{
    private readonly ConcurrentDictionary<BucketKey, TokenBucket> _buckets = new();
    private readonly int _max = options.Value.RateLimiter.MaxBuckets;
    private long _lastSweep = long.MinValue;

    public int Count => _buckets.Count;

    public TokenBucket Get(BucketKey key, double capacity, double ratePerSecond)
    {
        if (_buckets.TryGetValue(key, out var bucket)) return bucket;
        var now = time.GetTimestamp();
        if (_buckets.Count >= _max)
        {
            Sweep(now);
            // One overflow bucket per route, so the store stays bounded by MaxBuckets plus the number of routes.
            if (_buckets.Count >= _max) key = key.Overflow;
        }
        return _buckets.GetOrAdd(key, _ => new TokenBucket(capacity, ratePerSecond, now));
    }

    /// <summary>
    /// Drops full buckets. A request holding a bucket being dropped still takes its token from it; the next request of
    /// that key starts a new full bucket, so at worst one token per sweep goes uncounted.
    /// </summary>
    private void Sweep(long now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (last != long.MinValue && now - last < time.TimestampFrequency) return;
        if (Interlocked.CompareExchange(ref _lastSweep, now, last) != last) return;
        foreach (var (key, bucket) in _buckets)
        {
            if (key.Key is not null && bucket.IsFull(now, time.TimestampFrequency)) _buckets.TryRemove(KeyValuePair.Create(key, bucket));
        }
    }
}
