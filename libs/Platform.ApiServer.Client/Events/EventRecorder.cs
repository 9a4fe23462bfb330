using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Client.Events;

/// <summary>
/// Writes Kubernetes Events (Scheduled, SuccessfulCreate, Pulled, Started, Unhealthy, BackOff …) through the
/// apiserver, which stores them and publishes them on <c>platform.events</c>, off the caller's path: a bounded
/// queue per writer, the oldest dropped (and counted) when the apiserver falls behind.
/// <para>
/// A repeat of an event already written (same source, object, field, type, reason and message) is not a new
/// object: the first one's <c>count</c> goes up and its <c>lastTimestamp</c> moves, as Kubernetes' event
/// correlator does, so a crash-looping container makes one Event with count 40, not 40 Events.
/// </para>
/// An event that cannot be written is logged and dropped: events are a diagnostic trail, status carries the state.
/// </summary>
public sealed partial class EventRecorder : BackgroundService
{
    private static readonly Meter Meter = new("Platform.ApiServer.Client");
    private static readonly Counter<long> Dropped = Meter.CreateCounter<long>("platform_events_dropped_total", description: "Events not written (queue full or apiserver refused)");

    private readonly ApiClient _api;
    private readonly EventRecorderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<EventRecorder> _log;
    private readonly Channel<Pending>[] _writers;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<Seen>> _seen = new(StringComparer.Ordinal);
    private readonly LinkedList<Seen> _recent = new();
    private long _lastStamp;

    public EventRecorder(ApiClient api, EventRecorderOptions options, TimeProvider time, ILogger<EventRecorder> log)
    {
        if (string.IsNullOrWhiteSpace(options.Component)) throw new ArgumentException("EventRecorderOptions.Component is required", nameof(options));
        _api = api;
        _options = options;
        _time = time;
        _log = log;
        var perWriter = Math.Max(1, options.QueueCapacity / Math.Max(1, options.Concurrency));
        _writers = [.. Enumerable.Range(0, Math.Max(1, options.Concurrency)).Select(_ => Channel.CreateBounded<Pending>(
            new BoundedChannelOptions(perWriter) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            p => NotRecorded(p, "the event queue is full")))];
    }

    /// <summary>Events dropped since start (queue full or write refused).</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    private long _dropped;

    /// <summary>Queues an Event about <paramref name="about"/>; returns at once.</summary>
    public void Record(Resource about, string type, string reason, string message, string? fieldPath = null)
    {
        var reference = new ObjectReference
        {
            ApiVersion = about.ApiVersion, Kind = about.Kind, Namespace = about.Metadata.Namespace, Name = about.Metadata.Name,
            Uid = about.Metadata.Uid, ResourceVersion = about.Metadata.ResourceVersion, FieldPath = fieldPath,
        };
        var at = _time.GetUtcNow();
        var pending = new Pending(reference, type, reason, message, at, NextStamp(at));
        var writer = _writers[(int)((uint)StringComparer.Ordinal.GetHashCode(reference.Uid ?? reference.Name ?? "") % (uint)_writers.Length)];
        if (!writer.Writer.TryWrite(pending)) NotRecorded(pending, "the recorder has stopped");
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_writers.Select(w => WriteAllAsync(w.Reader, stoppingToken)));

    private async Task WriteAllAsync(ChannelReader<Pending> reader, CancellationToken ct)
    {
        try
        {
            await foreach (var p in reader.ReadAllAsync(ct))
            {
                try
                {
                    await WriteAsync(p, ct);
                }
                catch (HttpRequestException ex)
                {
                    NotRecorded(p, ex.Message);
                }
                catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
                {
                    NotRecorded(p, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task WriteAsync(Pending p, CancellationToken ct)
    {
        var ns = p.About.Namespace is { Length: > 0 } n ? n : "default";
        var key = string.Join('\u0001', _options.Component, _options.Host, p.About.Kind, ns, p.About.Name, p.About.Uid, p.About.FieldPath, p.Type, p.Reason, p.Message);
        var seen = Remembered(key);
        if (seen is not null)
        {
            var count = seen.Count + 1;
            var patch = new JsonObject { ["count"] = count, ["lastTimestamp"] = JsonValue.Create(p.At) };
            if (await _api.MergePatchAsync(ResourceKinds.Event.ObjectPath(ns, seen.Name), patch, ct))
            {
                Remember(key, seen with { Count = count });
                return;
            }
            // Expired or deleted meanwhile: write it anew.
        }
        // client-go's name, <object>.<hex UnixNano>: timestamps hold seconds only, so the name keeps an object's Events
        // in the order they were recorded when a list sorts by name; the random tail keeps two recorders apart.
        var name = $"{p.About.Name}.{p.Stamp:x16}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";
        var created = await _api.CreateAsync(ResourceKinds.Event.CollectionPath(ns), new Event
        {
            ApiVersion = "v1", Kind = "Event",
            Metadata = new ObjectMeta { Name = name, Namespace = ns },
            InvolvedObject = p.About,
            Reason = p.Reason, Message = p.Message, Type = p.Type, Count = 1,
            FirstTimestamp = p.At, LastTimestamp = p.At,
            Source = new EventSource { Component = _options.Component, Host = _options.Host },
        }, ct);
        if (created) Remember(key, new Seen(key, name, 1));
    }

    private Seen? Remembered(string key)
    {
        lock (_lock) return _seen.TryGetValue(key, out var node) ? node.Value : null;
    }

    private void Remember(string key, Seen seen)
    {
        lock (_lock)
        {
            if (_seen.Remove(key, out var old)) _recent.Remove(old);
            _seen[key] = _recent.AddFirst(seen);
            while (_seen.Count > _options.AggregationCacheSize && _recent.Last is { } last)
            {
                _recent.RemoveLast();
                _seen.Remove(last.Value.Key);
            }
        }
    }

    private void NotRecorded(Pending p, string error)
    {
        Interlocked.Increment(ref _dropped);
        Dropped.Add(1, new KeyValuePair<string, object?>("component", _options.Component));
        LogNotRecorded(_log, p.Reason, p.About.Kind, p.About.Name, error);
    }

    /// <summary>Nanoseconds since the epoch, strictly increasing across calls even when the clock stands still or steps back.</summary>
    private long NextStamp(DateTimeOffset at)
    {
        var nanos = (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        while (true)
        {
            var last = Interlocked.Read(ref _lastStamp);
            var next = Math.Max(nanos, last + 1);
            if (Interlocked.CompareExchange(ref _lastStamp, next, last) == last) return next;
        }
    }

    private sealed record Pending(ObjectReference About, string Type, string Reason, string Message, DateTimeOffset At, long Stamp);

    private sealed record Seen(string Key, string Name, int Count);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "event {Reason} for {Kind} {Name} not recorded: {Error}")]
    private static partial void LogNotRecorded(ILogger logger, string reason, string? kind, string? name, string error);
}
