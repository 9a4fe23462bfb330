using System.Text.Json;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Client.Informers;

/// <summary>
/// How an <see cref="Informer{T}"/> follows the cluster: the list (and relists), the apiserver's watch, events
/// handed in by an event source, the periodic resync and the forgetting of old deletions. The store, its indexes
/// and the handlers are in Informer.cs.
/// </summary>
public sealed partial class Informer<T>
{
    public async Task ApplyEventAsync(ReadOnlyMemory<byte> json, long version, bool deleted, CancellationToken ct)
    {
        T? obj;
        try
        {
            obj = JsonSerializer.Deserialize<T>(json.Span, ResourceJson.Options);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{Kind.Plural} event: {ex.Message}", ex);
        }
        if (obj?.Metadata?.Name is not { Length: > 0 }) throw new FormatException($"{Kind.Plural} event: metadata.name is required");
        await ApplyCheckedAsync(MetadataOnly(obj), version, deleted, ct, fromEvent: true);
    }

    /// <summary>
    /// One change from an event or the watch: read again first when events leave fields out, then checked by
    /// <see cref="InformerOptions.Validate"/>; a refusal throws <see cref="FormatException"/> and changes nothing.
    /// </summary>
    private async Task ApplyCheckedAsync(T obj, long version, bool deleted, CancellationToken ct, bool fromEvent = false)
    {
        if (!deleted && _options.GetOnEvent && Matches(obj))
        {
            if (await GetAsync(obj, version, ct) is not { } current) return;
            (obj, version) = current;
        }
        if (!deleted && Matches(obj) && Refusal(obj, schema: fromEvent) is { } problem)
            throw new FormatException($"{Kind.Plural} {ObjectKeys.KeyOf(obj)} at resourceVersion {version} refused: {problem}");
        Apply(obj, version, deleted);
    }

    /// <summary>
    /// The object as the apiserver holds it now, for an event that left fields out; null when the event is stale
    /// (nothing to read) or the object is gone (applied as deleted at the event's version).
    /// </summary>
    private async Task<(T Obj, long Version)?> GetAsync(T announced, long version, CancellationToken ct)
    {
        var key = ObjectKeys.KeyOf(announced);
        lock (_lock)
        {
            // A replay (the topic is read from its start) costs no request.
            if (version <= _listVersion || (_tombstones.TryGetValue(key, out var gone) && version <= gone.Version)
                || (_items.TryGetValue(key, out var held) && version <= held.Version))
            {
                Stale.Add(1, new KeyValuePair<string, object?>("kind", Kind.Plural));
                return null;
            }
        }
        var current = await _api.GetAsync<T>(Kind.ObjectPath(announced.Metadata.Namespace, announced.Metadata.Name!), ct, Accept(ApiClient.MetadataAccept));
        if (current is null)
        {
            Apply(announced, version, deleted: true);
            return null;
        }
        return (MetadataOnly(current), Math.Max(version, ObjectKeys.VersionOf(current)));
    }

    private string? Accept(string metadataAccept) => _options.MetadataOnly ? metadataAccept : null;

    /// <summary>
    /// Why the informer will not take <paramref name="obj"/>: for an event from Kafka (<paramref name="schema"/>), which
    /// anyone who reaches the broker can write, the apiserver's own schema first (the validators it runs on every write,
    /// shared through Platform.Contracts.Validation, so a forged or corrupted event is refused exactly as the write
    /// would have been); then the consumer's <see cref="InformerOptions.Validate"/>. Lists and the watch come from the
    /// apiserver, which validated them when they were written. Null: take it.
    /// </summary>
    private string? Refusal(T obj, bool schema)
    {
        if (schema && _options.ValidateSchema && !_options.MetadataOnly && Platform.Contracts.Validation.ResourceValidator.Check(Kind, obj) is { Count: > 0 } errors)
            return $"not a valid {Kind.Kind}: " + string.Join("; ", errors.Take(5)) + (errors.Count > 5 ? $" (+{errors.Count - 5} more)" : "");
        return _options.Validate?.Invoke(obj);
    }

    /// <summary>With <see cref="InformerOptions.MetadataOnly"/>: the object cut down to its metadata, as the kind it is.</summary>
    private T MetadataOnly(T obj)
    {
        if (!_options.MetadataOnly) return obj;
        var node = new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = Kind.ApiVersion,
            ["kind"] = Kind.Kind,
            ["metadata"] = JsonSerializer.SerializeToNode(obj.Metadata, ResourceJson.Options),
        };
        return node.Deserialize<T>(ResourceJson.Options)!;
    }

    public void RequestRelist(string reason)
    {
        lock (_lock) _relistReason ??= reason;
        try { _relist.Release(); }
        catch (SemaphoreFullException) { /* a relist is already due */ }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        using var resync = _options.ResyncPeriod is { } period ? _time.CreateTimer(_ => Resync(), null, period, period) : null;
        var retention = _options.TombstoneRetention;
        using var prune = _time.CreateTimer(_ => PruneTombstones(retention), null, retention / 2, retention / 2);
        await ListAsync("initial", ct);
        while (!ct.IsCancellationRequested)
        {
            if (_options.Source == InformerSource.Watch)
            {
                var reason = await WatchAsync(ct);
                await ListAsync(reason, ct);
                continue;
            }
            await _relist.WaitAsync(ct);
            string why;
            lock (_lock)
            {
                why = _relistReason ?? "requested";
                _relistReason = null;
            }
            await ListAsync(why, ct);
        }
    }

    private async Task ListAsync(string reason, CancellationToken ct)
    {
        var delay = _options.RetryDelay;
        var path = CollectionPath;
        while (true)
        {
            try
            {
                var (items, rv) = await _api.ListAsync<T>(path, ct, Accept(ApiClient.MetadataListAccept));
                Replace([.. items.Select(MetadataOnly)], rv);
                if (reason != "initial") Relists.Add(1, new KeyValuePair<string, object?>("kind", Kind.Plural), new KeyValuePair<string, object?>("reason", reason));
                LogListed(_log, Kind.Plural, items.Count, rv, reason);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or FormatException or JsonException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
            {
                LogListFailed(_log, Kind.Plural, ex.Message, delay);
                await Task.Delay(delay, _time, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }
        }
    }

    /// <summary>Follows the apiserver's watch from the list's version; returns why a relist is needed.</summary>
    private async Task<string> WatchAsync(CancellationToken ct)
    {
        var path = CollectionPath;
        var from = ListResourceVersion;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var e in _api.WatchAsync<T>(path, from, ct, Accept(ApiClient.MetadataAccept)))
                {
                    var version = ObjectKeys.VersionOf(e.Object);
                    if (e.Type == "BOOKMARK")
                    {
                        from = Math.Max(from, version);
                        continue;
                    }
                    if (version == 0) return "event without resourceVersion";
                    try
                    {
                        await ApplyCheckedAsync(MetadataOnly(e.Object), version, e.IsDeleted, ct);
                    }
                    catch (FormatException ex)
                    {
                        // No dead-letter topic on the watch: refused as from a list, the version held before stays.
                        LogRefused(_log, Kind.Plural, ObjectKeys.KeyOf(e.Object), ex.Message);
                    }
                    from = Math.Max(from, version);
                }
            }
            catch (ApiException ex) when (ex.IsExpired)
            {
                return "watch expired";
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or FormatException or JsonException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
            {
                LogWatchFailed(_log, Kind.Plural, ex.Message);
                await Task.Delay(_options.RetryDelay, _time, ct);
            }
        }
        ct.ThrowIfCancellationRequested();
        return "cancelled";
    }

    /// <summary>Forgets deletions older than <paramref name="retention"/>: a replay that old comes only with a restart, which lists.</summary>
    internal void PruneTombstones(TimeSpan retention)
    {
        lock (_lock)
            foreach (var key in _tombstones.Where(kv => _time.GetElapsedTime(kv.Value.At) >= retention).Select(kv => kv.Key).ToList())
                _tombstones.Remove(key);
    }

    internal int TombstoneCount
    {
        get { lock (_lock) return _tombstones.Count; }
    }

    private void Resync()
    {
        lock (_lock)
            foreach (var e in _items.Values) Notify(h => h.OnUpdate(e.Obj, e.Obj));
        Dispatch();
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "listed {Count} {Plural} at resourceVersion {Version} ({Reason})")]
    private static partial void LogListed(ILogger logger, string plural, int count, long version, string reason);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "listing {Plural} failed: {Error}; retrying in {Delay}")]
    private static partial void LogListFailed(ILogger logger, string plural, string error, TimeSpan delay);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "watching {Plural} failed: {Error}; watching again")]
    private static partial void LogWatchFailed(ILogger logger, string plural, string error);
}
