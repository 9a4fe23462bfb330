using System.Globalization;
using Platform.Contracts.Resources;
using Platform.EventBus.Consuming;

namespace Platform.Scheduler.Informers;

/// <summary>Follows <c>platform.pods</c> and <c>platform.nodes</c>: decodes the whole object and its resourceVersion and hands it on.</summary>
internal sealed class InformerEventHandler(ClusterEvents events, SchedulerOptions options) : IEventHandler
{
    public Task HandleAsync(ConsumedEvent consumed, CancellationToken cancellationToken)
    {
        var e = consumed.Event;
        var deleted = e.Type.EndsWith(".deleted", StringComparison.Ordinal);
        var version = e.Extensions.TryGetValue("resourceversion", out var rv) && long.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new FormatException($"{consumed.Topic}@{consumed.Offset}: no resourceversion extension");
        if (consumed.Topic == options.TopicPrefix + "pods")
            events.OnPod(e.DataAs<Pod>(ResourceJson.Options) ?? throw new FormatException("empty pod event"), version, deleted);
        else if (consumed.Topic == options.TopicPrefix + "nodes")
            events.OnNode(e.DataAs<Node>(ResourceJson.Options) ?? throw new FormatException("empty node event"), version, deleted);
        return Task.CompletedTask;
    }
}
