using System.Collections.Concurrent;
using System.Globalization;
using Platform.EventBus.Consuming;

namespace Platform.ApiServer.Client.Informers;

/// <summary>
/// The watch half of Kafka-fed informers: applies the events of each kind's topic to the factory's informer of that
/// kind. It remembers the last offset of every partition: a jump (events lost to retention, a consumer that skipped
/// ahead) makes that informer list again. An event without a resourceVersion cannot be ordered: the informer relists
/// and the event is refused (so the consumer dead-letters it with the reason).
/// </summary>
public sealed class InformerEventSource(SharedInformerFactory factory, IReadOnlyDictionary<string, string> pluralByTopic) : IEventHandler
{
    private readonly ConcurrentDictionary<(string Topic, int Partition), long> _offsets = new();

    /// <summary>Follows <c>{topicPrefix}{plural}</c> for each plural (<c>platform.pods</c>).</summary>
    public InformerEventSource(SharedInformerFactory factory, string topicPrefix, IEnumerable<string> plurals)
        : this(factory, Topics(topicPrefix, plurals))
    {
    }

    /// <summary>The topic of each plural, as the apiserver's outbox names them.</summary>
    public static IReadOnlyDictionary<string, string> Topics(string topicPrefix, IEnumerable<string> plurals) =>
        plurals.ToDictionary(p => topicPrefix + p, p => p, StringComparer.Ordinal);

    public IEnumerable<string> Subscriptions => pluralByTopic.Keys;

    public async Task HandleAsync(ConsumedEvent consumed, CancellationToken cancellationToken)
    {
        if (!pluralByTopic.TryGetValue(consumed.Topic, out var plural)) return;
        var informer = factory.Find(plural);
        if (informer is null) return;

        var part = (consumed.Topic, consumed.Partition);
        if (_offsets.TryGetValue(part, out var last) && consumed.Offset > last + 1)
            informer.RequestRelist($"offset gap {last}..{consumed.Offset} on {consumed.Topic}[{consumed.Partition}]");
        if (consumed.Offset > last || !_offsets.ContainsKey(part)) _offsets[part] = consumed.Offset;

        var e = consumed.Event;
        if (!e.Extensions.TryGetValue("resourceversion", out var rv) ||
            !long.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version <= 0)
        {
            informer.RequestRelist("event without resourceVersion");
            throw new FormatException($"{consumed.Topic}@{consumed.Offset}: no valid resourceversion extension");
        }
        await informer.ApplyEventAsync(e.Data, version, e.Type.EndsWith(".deleted", StringComparison.Ordinal), cancellationToken);
    }
}
