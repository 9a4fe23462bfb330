using System.Collections.Concurrent;
using System.Globalization;
using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Informers;

/// <summary>
/// An informer's store for one kind: the newest version of every object by <c>namespace/name</c>, fed by the
/// initial list and then by Kafka events. A version older than the one held (or than a deletion seen) is ignored,
/// so replays and duplicates are harmless. Handlers get (old, new) and only enqueue keys.
/// </summary>
internal sealed class ResourceCache<T>(ResourceKind kind) where T : Resource
{
    private readonly ConcurrentDictionary<string, (T Item, long Version)> _items = new();
    private readonly ConcurrentDictionary<string, long> _tombstones = new();
    private readonly Lock _lock = new();

    public ResourceKind Kind { get; } = kind;

    /// <summary>Raised after every applied change: (old or null, new or null when deleted).</summary>
    public event Action<T?, T?>? Changed;

    public static string KeyOf(Resource r) => r.Metadata.Namespace is { Length: > 0 } ns ? $"{ns}/{r.Metadata.Name}" : r.Metadata.Name!;

    public static long VersionOf(Resource r) =>
        long.TryParse(r.Metadata.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    public void Apply(T item, long version, bool deleted)
    {
        var key = KeyOf(item);
        T? old;
        lock (_lock)
        {
            if (_tombstones.TryGetValue(key, out var gone) && version <= gone) return;
            _items.TryGetValue(key, out var current);
            if (current.Item is not null && version <= current.Version && !deleted) return;
            // A deletion event carries the last stored version; a newer object with the same name is a re-creation.
            if (deleted && current.Item is not null && current.Item.Metadata.Uid != item.Metadata.Uid && version < current.Version) return;
            old = current.Item;
            if (deleted)
            {
                _items.TryRemove(key, out _);
                _tombstones[key] = version;
            }
            else
            {
                _items[key] = (item, version);
                _tombstones.TryRemove(key, out _);
            }
        }
        Changed?.Invoke(old, deleted ? null : item);
    }

    public T? Get(string key) => _items.TryGetValue(key, out var e) ? e.Item : null;

    public IReadOnlyList<T> List() => _items.Values.Select(e => e.Item).ToList();

    public IReadOnlyList<T> List(string ns) => _items.Values.Select(e => e.Item).Where(i => i.Metadata.Namespace == ns).ToList();
}
