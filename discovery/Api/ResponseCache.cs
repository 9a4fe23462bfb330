using System.Collections.Concurrent;
using Platform.Discovery.Registry;

namespace Platform.Discovery.Api;

/// <summary>
/// Serialized (and gzipped) registry documents keyed by kind and format, valid for one registry version: any
/// change bumps the version and the next read re-renders. Heartbeats do not change the version, so a fleet of
/// clients fetching every 30 s is served from memory, as in Eureka.
/// </summary>
internal sealed class ResponseCache(InstanceRegistry registry)
{
    private const int MaxEntries = 4096;
    private readonly ConcurrentDictionary<CacheKey, Entry> _entries = new();

    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);
    private long _hits;
    private long _misses;

    /// <summary>Whole-registry documents asked for recently, with how to render them, for <see cref="ResponseCacheWarmer"/>.</summary>
    private readonly ConcurrentDictionary<CacheKey, (Func<byte[]> Render, long LastRequested)> _hot = new();

    public byte[] GetOrRender(CacheKey key, Func<byte[]> render) => GetOrRender(key, render, countAsRequest: true);

    private byte[] GetOrRender(CacheKey key, Func<byte[]> render, bool countAsRequest)
    {
        if (countAsRequest && key.Kind == FullKind) _hot[key] = (render, Environment.TickCount64);
        var version = registry.Version;
        if (_entries.TryGetValue(key, out var entry) && entry.Version == version)
        {
            if (countAsRequest) Interlocked.Increment(ref _hits);
            return entry.Body.Value;
        }
        if (countAsRequest) Interlocked.Increment(ref _misses);
        if (_entries.Count >= MaxEntries) _entries.Clear();
        // Lazy so concurrent readers of a fresh version render once; the version read before rendering
        // keeps a document rendered from older data from being stored as newer.
        var fresh = new Entry(version, new Lazy<byte[]>(render, LazyThreadSafetyMode.ExecutionAndPublication));
        var stored = _entries.AddOrUpdate(key, fresh, (_, old) => old.Version >= version ? old : fresh);
        return stored.Body.Value;
    }

    public const string FullKind = "full";

    /// <summary>Whether the document for <paramref name="key"/> is rendered for <paramref name="version"/> or later.</summary>
    public bool IsCurrent(CacheKey key, long version) =>
        _entries.TryGetValue(key, out var e) && e.Version >= version && e.Body.IsValueCreated;

    /// <summary>Renders the recently requested full-registry documents for the current version if not yet cached.</summary>
    public void Warm(TimeSpan recent)
    {
        var cutoff = Environment.TickCount64 - (long)recent.TotalMilliseconds;
        foreach (var (key, (render, last)) in _hot)
        {
            if (last < cutoff) _hot.TryRemove(key, out _);
            else GetOrRender(key, render, countAsRequest: false);
        }
    }

    internal readonly record struct CacheKey(string Kind, bool Xml, bool Gzip);

    private sealed record Entry(long Version, Lazy<byte[]> Body);
}
