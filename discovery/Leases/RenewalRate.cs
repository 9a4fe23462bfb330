namespace Platform.Discovery.Leases;

/// <summary>
/// Renewals counted over the last 60 seconds in one-second buckets, so the self-preservation check reacts
/// within a second instead of waiting for a whole-minute bucket to roll over as Eureka's MeasuredRate does.
/// </summary>
internal sealed class RenewalRate(TimeProvider time)
{
    private const int Buckets = 60;
    private readonly long[] _counts = new long[Buckets];
    private readonly long[] _seconds = new long[Buckets];

    public void Increment()
    {
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        var i = (int)(second % Buckets);
        if (Volatile.Read(ref _seconds[i]) != second)
        {
            lock (_counts)
            {
                if (_seconds[i] != second)
                {
                    _counts[i] = 0;
                    Volatile.Write(ref _seconds[i], second);
                }
            }
        }
        Interlocked.Increment(ref _counts[i]);
    }

    /// <summary>Renewals in the 60 seconds up to now.</summary>
    public long LastMinute()
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        long sum = 0;
        for (var i = 0; i < Buckets; i++)
        {
            var s = Volatile.Read(ref _seconds[i]);
            if (now - s < Buckets && s <= now) sum += Interlocked.Read(ref _counts[i]);
        }
        return sum;
    }
}
