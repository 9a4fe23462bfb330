using Platform.ApiServer.Client;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Informers;

namespace Platform.ControllerManager.Controllers;

/// <summary>
/// Writes Events (SuccessfulCreate, ScalingReplicaSet, NodeNotReady ...) through the apiserver, which stores them and
/// publishes them on <c>platform.events</c>. A lost event is logged, not retried: status carries the state.
/// </summary>
internal sealed partial class EventRecorder(ApiClient api, TimeProvider time, ILogger<EventRecorder> log)
{
    public async Task RecordAsync(Resource about, string type, string reason, string message, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var ns = about.Metadata.Namespace is { Length: > 0 } n ? n : "default";
        var e = new Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new ObjectMeta { Name = $"{about.Metadata.Name}.{now.ToUnixTimeMilliseconds():x}{Random.Shared.Next(0x1000):x3}", Namespace = ns },
            InvolvedObject = new ObjectReference { ApiVersion = about.ApiVersion, Kind = about.Kind, Namespace = about.Metadata.Namespace, Name = about.Metadata.Name, Uid = about.Metadata.Uid },
            Reason = reason,
            Message = message,
            Type = type,
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new EventSource { Component = "controller-manager" },
        };
        try
        {
            await api.CreateAsync(ResourceKinds.Event.CollectionPath(ns), e, ct);
        }
        catch (HttpRequestException ex)
        {
            NotRecorded(reason, about.Metadata.Name, ex.Message);
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "event {Reason} for {Name} not recorded: {Error}")]
    private partial void NotRecorded(string reason, string? name, string error);
}
