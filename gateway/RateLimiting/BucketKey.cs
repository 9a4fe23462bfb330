namespace Platform.Gateway.RateLimiting;

/// <summary>
/// One token bucket: per route namespace (null: the gateway's own routes), route, limits and resolved key. A null
/// <see cref="Key"/> is the route's overflow bucket, shared by the keys that found the store full.
/// </summary>
internal readonly record struct BucketKey(string? Namespace, string RouteId, string Limits, string? Key)
{
    public BucketKey Overflow => this with { Key = null };
}
