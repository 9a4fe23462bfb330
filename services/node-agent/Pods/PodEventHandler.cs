using System.Globalization;
using Platform.Contracts.Resources;
using Platform.EventBus.Consuming;

namespace Platform.NodeAgent.Pods;

/// <summary>Feeds <c>platform.pods</c> events into the <see cref="PodManager"/> once its initial list is done.</summary>
internal sealed class PodEventHandler(PodManager manager) : IEventHandler
{
    public async Task HandleAsync(ConsumedEvent consumed, CancellationToken cancellationToken)
    {
        await manager.Synced.WaitAsync(cancellationToken);
        var e = consumed.Event;
        var pod = e.DataAs<Pod>(ResourceJson.Options);
        if (pod is null) return;
        var version = e.Extensions.TryGetValue("resourceversion", out var rv) && long.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v : PodManager.VersionOf(pod) ?? 0;
        manager.Apply(pod, version, deleted: e.Type.EndsWith(".deleted", StringComparison.Ordinal));
    }
}
