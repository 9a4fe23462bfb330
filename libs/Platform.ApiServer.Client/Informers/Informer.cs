using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Client.Informers;

/// <summary>The kind-independent face of an informer, for factories and event sources.</summary>
public interface IInformer
{
    ResourceKind Kind { get; }

    /// <summary>True once the first list has been applied.</summary>
    bool HasSynced { get; }

    Task WaitForSyncAsync(CancellationToken ct);

    /// <summary>The resourceVersion of the newest list applied.</summary>
    long ListResourceVersion { get; }

    /// <summary>Lists (retrying), follows the watch when the source is the apiserver, and relists when asked. Runs until cancelled.</summary>
    Task RunAsync(CancellationToken ct);

    /// <summary>
    /// Applies one changed object (JSON) at its resourceVersion; with <see cref="InformerOptions.GetOnEvent"/> it first
    /// reads the object from the apiserver. Throws <see cref="FormatException"/> for an event it refuses.
    /// </summary>
    Task ApplyEventAsync(ReadOnlyMemory<byte> json, long version, bool deleted, CancellationToken ct);

    /// <summary>Lists again soon (an event source saw a gap or an event it cannot order).</summary>
    void RequestRelist(string reason);
}

/// <summary>
/// client-go's shared informer for one kind: a list at a resourceVersion, then every change strictly newer (from
/// Kafka or the apiserver's watch), held in a store with indexes and handed to handlers once per version.
/// <list type="bullet">
/// <item>An event not newer than the object held, than a deletion seen, or than the last list is a replay and is ignored.</item>
/// <item>A relist (on a gap, an unknown version, or a 410 from the watch) adds and updates what changed and deletes what the list no longer has, unless held at a newer version than the list.</item>
/// <item><see cref="HasSynced"/> gates controllers until the first list is in.</item>
/// </list>
/// Reads (<see cref="Get(string)"/>, <see cref="List()"/>, <see cref="ByIndex"/>) are safe from any thread and from handlers.
/// Handlers run after the store's lock is released (Informer.Dispatch.cs), so a handler may take any lock of its own
/// while another thread holding that lock reads this informer.
/// </summary>
public sealed partial class Informer<T> : IInformer where T : Resource
{
    private static readonly Meter Meter = new("Platform.ApiServer.Client");
    private static readonly Counter<long> Relists = Meter.CreateCounter<long>("platform_informer_relists_total", description: "Lists after the first one, by kind and reason");
    private static readonly Counter<long> Stale = Meter.CreateCounter<long>("platform_informer_stale_events_total", description: "Events ignored because the informer already had that version or a newer one");

    private readonly object _lock = new();
    private readonly Dictionary<string, (T Obj, long Version)> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Version, long At)> _tombstones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Func<T, IEnumerable<string>> Fn, Dictionary<string, HashSet<string>> Map)> _indexes = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _relist = new(0, 1);
    private readonly ApiClient _api;
    private readonly InformerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private long _listVersion;
    private string? _relistReason;

    public Informer(ResourceKind kind, ApiClient api, InformerOptions options, TimeProvider time, ILogger logger)
    {
        if (kind.ClrType != typeof(T)) throw new ArgumentException($"{kind.Kind} objects are {kind.ClrType.Name}, not {typeof(T).Name}", nameof(kind));
        Kind = kind;
        _api = api;
        _options = options;
        _time = time;
        _log = logger;
        AddIndexer(Indexers.Namespace, Indexers.ByNamespace);
    }

    public ResourceKind Kind { get; }

    public bool HasSynced => _synced.Task.IsCompleted;

    public Task WaitForSyncAsync(CancellationToken ct) => _synced.Task.WaitAsync(ct);

    public long ListResourceVersion
    {
        get { lock (_lock) return _listVersion; }
    }

    /// <summary>Adds an index; objects already held are indexed at once.</summary>
    public void AddIndexer(string name, Func<T, IEnumerable<string>> index)
    {
        lock (_lock)
        {
            if (_indexes.ContainsKey(name)) throw new InvalidOperationException($"the {Kind.Plural} informer already has an index '{name}'");
            _indexes[name] = (index, new Dictionary<string, HashSet<string>>(StringComparer.Ordinal));
            foreach (var (key, e) in _items) Index(name, key, e.Obj);
        }
    }

    /// <summary>Adds an index unless one of that name is there already (components sharing an informer ask for the same index).</summary>
    public void EnsureIndexer(string name, Func<T, IEnumerable<string>> index)
    {
        lock (_lock)
        {
            if (!_indexes.ContainsKey(name)) AddIndexer(name, index);
        }
    }

    public void AddEventHandler(Action<T>? added = null, Action<T, T>? updated = null, Action<T>? deleted = null) =>
        AddEventHandler(new ResourceEventHandlerFuncs<T>(added, updated, deleted));

    /// <summary>One delegate for every change: (old or null when added, new or null when deleted).</summary>
    public void OnChange(Action<T?, T?> changed) =>
        AddEventHandler(o => changed(null, o), (old, now) => changed(old, now), o => changed(o, null));

    public T? Get(string key)
    {
        lock (_lock) return _items.TryGetValue(key, out var e) ? e.Obj : null;
    }

    public T? Get(string? ns, string name) => Get(ObjectKeys.KeyOf(ns, name));

    public IReadOnlyList<T> List()
    {
        lock (_lock) return [.. _items.Values.Select(e => e.Obj)];
    }

    public IReadOnlyList<T> List(string ns) => ByIndex(Indexers.Namespace, ns);

    /// <summary>The objects whose labels match, in <paramref name="ns"/> when given.</summary>
    public IReadOnlyList<T> List(string? ns, Selector selector) =>
        [.. (ns is null ? List() : List(ns)).Where(o => selector.Matches(o.Metadata.Labels))];

    public IReadOnlyList<T> ByIndex(string index, string value)
    {
        lock (_lock)
        {
            if (!_indexes.TryGetValue(index, out var ix)) throw new InvalidOperationException($"the {Kind.Plural} informer has no index '{index}'");
            return ix.Map.TryGetValue(value, out var keys) ? [.. keys.Select(k => _items[k].Obj)] : [];
        }
    }

    public int Count
    {
        get { lock (_lock) return _items.Count; }
    }

    /// <summary>
    /// Applies one version of an object (from an event, or an answer of the apiserver the caller just had); the
    /// handlers have seen the change when it returns.
    /// </summary>
    public void Apply(T obj, long version, bool deleted)
    {
        ApplyToStore(obj, version, deleted);
        Dispatch();
    }

    private void ApplyToStore(T obj, long version, bool deleted)
    {
        lock (_lock)
        {
            var key = ObjectKeys.KeyOf(obj);
            if (version <= _listVersion || (_tombstones.TryGetValue(key, out var gone) && version <= gone.Version))
            {
                Stale.Add(1, new KeyValuePair<string, object?>("kind", Kind.Plural));
                return;
            }
            var held = _items.TryGetValue(key, out var e) ? e : default;
            if (held.Obj is not null && version <= held.Version)
            {
                Stale.Add(1, new KeyValuePair<string, object?>("kind", Kind.Plural));
                return;
            }
            if (deleted || !Matches(obj))
            {
                // Never held and not wanted (another node's pod, on a topic that carries the whole cluster): nothing
                // to remember once listed, or the tombstones would grow with the cluster instead of with what is followed.
                if (held.Obj is null && !Matches(obj) && HasSynced) return;
                _tombstones[key] = (version, _time.GetTimestamp());
                if (held.Obj is null) return;
                Remove(key, held.Obj);
                var last = deleted ? obj : held.Obj;
                Notify(h => h.OnDelete(last));
                return;
            }
            _tombstones.Remove(key);
            Store(key, obj, version, held.Obj);
        }
    }

    /// <summary>
    /// Applies an object the caller just received from the apiserver (a create or update answer), so the next
    /// reconcile sees it before its event arrives; the event is then a duplicate. client-go's mutation cache.
    /// </summary>
    public void Observe(T obj) => Apply(obj, ObjectKeys.VersionOf(obj), deleted: false);

    /// <summary>Replaces the store's content with a list at <paramref name="listVersion"/> and tells handlers the difference.</summary>
    public void Replace(IReadOnlyList<T> items, long listVersion)
    {
        lock (_lock)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var obj in items)
            {
                if (!Matches(obj)) continue;
                var key = ObjectKeys.KeyOf(obj);
                seen.Add(key);
                if (Refusal(obj, schema: false) is { } problem)
                {
                    LogRefused(_log, Kind.Plural, key, problem);
                    continue;
                }
                var version = ObjectKeys.VersionOf(obj);
                if (_tombstones.TryGetValue(key, out var gone) && version <= gone.Version) continue;
                var held = _items.TryGetValue(key, out var e) ? e : default;
                if (held.Obj is not null && version <= held.Version) continue;
                _tombstones.Remove(key);
                Store(key, obj, version, held.Obj);
            }
            foreach (var (key, e) in _items.Where(kv => !seen.Contains(kv.Key) && kv.Value.Version <= listVersion).ToList())
            {
                Remove(key, e.Obj);
                Notify(h => h.OnDelete(e.Obj));
            }
            _listVersion = Math.Max(_listVersion, listVersion);
            foreach (var key in _tombstones.Where(kv => kv.Value.Version <= _listVersion).Select(kv => kv.Key).ToList()) _tombstones.Remove(key);
        }
        Dispatch();
        _synced.TrySetResult();
    }

    private bool Matches(T obj) =>
        (_options.Namespace is null || obj.Metadata.Namespace == _options.Namespace) && (_options.Filter?.Invoke(obj) ?? true);

    private string CollectionPath => Kind.CollectionPath(_options.Namespace) + (_options.Query is { Length: > 0 } q ? "?" + q : "");

    private void Store(string key, T obj, long version, T? old)
    {
        if (old is not null) Unindex(key, old);
        _items[key] = (obj, version);
        foreach (var name in _indexes.Keys) Index(name, key, obj);
        if (old is null) Notify(h => h.OnAdd(obj));
        else Notify(h => h.OnUpdate(old, obj));
    }

    private void Remove(string key, T held)
    {
        Unindex(key, held);
        _items.Remove(key);
    }

    private void Index(string name, string key, T obj)
    {
        var map = _indexes[name].Map;
        foreach (var value in _indexes[name].Fn(obj))
        {
            if (!map.TryGetValue(value, out var keys)) map[value] = keys = new HashSet<string>(StringComparer.Ordinal);
            keys.Add(key);
        }
    }

    private void Unindex(string key, T obj)
    {
        foreach (var (fn, map) in _indexes.Values)
            foreach (var value in fn(obj))
                if (map.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0) map.Remove(value);
    }

    [LoggerMessage(EventId = 9005, Level = LogLevel.Warning, Message = "{Plural} {Key} from the list refused, the version held before stays: {Problem}")]
    private static partial void LogRefused(ILogger logger, string plural, string key, string problem);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Error, Message = "a {Plural} event handler failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception ex, string plural);
}
