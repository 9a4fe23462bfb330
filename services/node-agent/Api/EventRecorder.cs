using Platform.ApiServer.Client;
using Microsoft.Extensions.Options;
using Platform.Contracts.Resources;

namespace Platform.NodeAgent.Api;

/// <summary>
/// Writes Kubernetes-style Events (Pulled, Created, Started, Killing, Unhealthy, BackOff) through the apiserver, which
/// stores them and publishes them on <c>platform.events</c>. An event that cannot be written is logged, never retried:
/// events are a diagnostic trail, and the pod status carries the state that matters.
/// </summary>
internal sealed partial class EventRecorder(ApiClient api, IOptions<NodeAgentOptions> options, TimeProvider time, ILogger<EventRecorder> log)
{
    public async Task RecordAsync(Pod pod, string type, string reason, string message, string? fieldPath, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var ns = pod.Metadata.Namespace!;
        var e = new Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new ObjectMeta { Name = $"{pod.Metadata.Name}.{now.ToUnixTimeMilliseconds():x}{Random.Shared.Next(0x1000):x3}", Namespace = ns },
            InvolvedObject = new ObjectReference { ApiVersion = "v1", Kind = "Pod", Namespace = ns, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid, FieldPath = fieldPath },
            Reason = reason,
            Message = message,
            Type = type,
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new EventSource { Component = "node-agent", Host = options.Value.NodeName },
        };
        try
        {
            await api.CreateAsync($"/api/v1/namespaces/{ns}/events", e, ct);
        }
        catch (HttpRequestException ex)
        {
            EventNotRecorded(reason, pod.Metadata.Name, ex.Message);
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "event {Reason} for pod {Pod} not recorded: {Error}")]
    private partial void EventNotRecorded(string reason, string? pod, string error);
}
