using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Controllers.Kafka;

/// <summary>The <c>Ready</c> condition of KafkaTopics and KafkaConnectors, keeping its transition time while its status holds.</summary>
internal static class ReadyCondition
{
    public static List<Condition> Of(List<Condition>? old, bool ready, string reason, string message, long? generation, DateTimeOffset now)
    {
        var status = ready ? "True" : "False";
        var previous = old?.FirstOrDefault(c => c.Type == "Ready");
        var since = previous?.Status == status && previous.LastTransitionTime is { } t ? t : now;
        return [new Condition { Type = "Ready", Status = status, Reason = reason, Message = message, LastTransitionTime = since, ObservedGeneration = generation }];
    }
}
