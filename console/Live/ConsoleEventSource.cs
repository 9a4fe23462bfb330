using System.Text.Json;
using Platform.Contracts.Resources;
using Platform.EventBus.Consuming;

namespace Platform.Console.Live;

/// <summary>Turns each CloudEvent of a resource topic into a <see cref="LiveEvent"/> on the hub.</summary>
internal sealed class ConsoleEventSource(EventHub hub, IReadOnlyDictionary<string, ResourceKind> kindByTopic) : IEventHandler
{
    public Task HandleAsync(ConsumedEvent consumed, CancellationToken cancellationToken)
    {
        if (!kindByTopic.TryGetValue(consumed.Topic, out var kind)) return Task.CompletedTask;
        var e = consumed.Event;
        // The Kafka key is namespace/name (cluster-scoped: name) on every resource topic; the subject carries the plural too.
        var subject = e.Key ?? e.Subject ?? "";
        var slash = subject.IndexOf('/', StringComparison.Ordinal);
        string? ns = kind.Namespaced && slash > 0 ? subject[..slash] : null;
        var name = slash >= 0 ? subject[(slash + 1)..] : subject;
        string? involved = null, reason = null, message = null, severity = null;
        if (kind == ResourceKinds.Event) (ns, name, involved, reason, message, severity) = ReadEvent(e.Data, ns, name);
        var action = e.Type[(e.Type.LastIndexOf('.') + 1)..];
        hub.Publish(seq => new LiveEvent(seq, e.Id, e.Type, action, kind.Kind, kind.Plural, kind.Group, ns, name, e.Time,
            involved, reason, message, severity));
        return Task.CompletedTask;
    }

    private static (string? Ns, string Name, string? Involved, string? Reason, string? Message, string? Severity) ReadEvent(
        ReadOnlyMemory<byte> data, string? ns, string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(data);
            var root = doc.RootElement;
            string? Str(JsonElement o, string p) => o.ValueKind == JsonValueKind.Object && o.TryGetProperty(p, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var meta = root.TryGetProperty("metadata", out var m) ? m : default;
            var obj = root.TryGetProperty("involvedObject", out var io) ? io : default;
            var involved = Str(obj, "kind") is { } k ? $"{k}/{Str(obj, "name")}" : null;
            return (Str(meta, "namespace") ?? ns, Str(meta, "name") ?? name, involved, Str(root, "reason"), Str(root, "message"), Str(root, "type"));
        }
        catch (JsonException)
        {
            // An Event whose body is not JSON still shows that it happened.
            return (ns, name, null, null, null, null);
        }
    }
}
