using System.Globalization;
using Platform.Contracts.Resources;
using Platform.EventBus.Consuming;

namespace Platform.ControllerManager.Informers;

/// <summary>The watch half: applies <c>{prefix}{plural}</c> events to the caches, after the initial list.</summary>
internal sealed class ResourceEventHandler(Informers informers, string topicPrefix) : IEventHandler
{
    public async Task HandleAsync(ConsumedEvent consumed, CancellationToken cancellationToken)
    {
        await informers.Synced.WaitAsync(cancellationToken);
        var plural = consumed.Topic[topicPrefix.Length..];
        var kind = informers.Kinds.FirstOrDefault(k => k.Plural == plural);
        if (kind is null) return;
        var e = consumed.Event;
        long? version = e.Extensions.TryGetValue("resourceversion", out var rv) && long.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
        informers.Apply(kind, e.Data.Span, version, e.Type.EndsWith(".deleted", StringComparison.Ordinal));
    }
}
