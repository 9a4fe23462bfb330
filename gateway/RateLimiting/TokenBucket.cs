namespace Platform.Gateway.RateLimiting;

/// <summary>A token bucket refilled continuously at <c>rate</c> tokens/s up to <c>capacity</c> (Spring's RedisRateLimiter algorithm, in memory).</summary>
internal sealed class TokenBucket
{
    private readonly object _gate = new();
    private readonly double _capacity;
    private readonly double _rate;
    private double _tokens;
    private long _last;

    public TokenBucket(double capacity, double ratePerSecond, long startTimestamp)
    {
        _capacity = capacity;
        _rate = ratePerSecond;
        _tokens = capacity;
        _last = startTimestamp;
    }

    /// <summary>Whether the bucket has refilled to capacity by <paramref name="now"/> (it then holds no state a new bucket lacks).</summary>
    public bool IsFull(long now, long timestampFrequency)
    {
        lock (_gate) return _tokens + Math.Max(0, now - _last) / (double)timestampFrequency * _rate >= _capacity;
    }

    /// <summary>Takes <paramref name="requested"/> tokens if available; returns whether it did and what is left.</summary>
    public (bool Allowed, long Remaining) TryTake(double requested, long now, long timestampFrequency)
    {
        lock (_gate)
        {
            var elapsed = Math.Max(0, now - _last) / (double)timestampFrequency;
            _tokens = Math.Min(_capacity, _tokens + elapsed * _rate);
            _last = now;
            if (_tokens < requested) return (false, (long)Math.Floor(_tokens));
            _tokens -= requested;
            return (true, (long)Math.Floor(_tokens));
        }
    }
}
