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

    public byte[] GetOrRender(CacheKey key, Func<byte[]> render)
    {
        var version = registry.Version;
        if (_entries.TryGetValue(key, out var entry) && entry.Version == version)
        {
            Interlocked.Increment(ref _hits);
            return entry.Body.Value;
        }
        Interlocked.Increment(ref _misses);
        if (_entries.Count >= MaxEntries) _entries.Clear();
        // Lazy so concurrent readers of a fresh version render once; the version read before rendering
        // keeps a document rendered from older data from being stored as newer.
        var fresh = new Entry(version, new Lazy<byte[]>(render, LazyThreadSafetyMode.ExecutionAndPublication));
        var stored = _entries.AddOrUpdate(key, fresh, (_, old) => old.Version >= version ? old : fresh);
        return stored.Body.Value;
    }

    internal readonly record struct CacheKey(string Kind, bool Xml, bool Gzip);

    private sealed record Entry(long Version, Lazy<byte[]> Body);
}
