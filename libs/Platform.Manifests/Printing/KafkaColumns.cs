using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.Manifests.Printing;

/// <summary>The columns of KafkaTopics and KafkaConnectors, after Strimzi's printer columns (no CLUSTER: the platform has one broker cluster).</summary>
internal static class KafkaColumns
{
    public static (string[] Headers, Func<JsonObject, string[]> Row)? For(ResourceKind kind, Func<JsonObject, string> name, Func<JsonObject, string> age)
    {
        static string S(JsonNode? n) => n?.ToString() ?? "";
        if (kind == ResourceKinds.KafkaTopic)
            return (["NAME", "TOPIC", "PARTITIONS", "REPLICATION FACTOR", "READY", "AGE"], o =>
                [name(o), S(o["status"]?["topicName"]) is { Length: > 0 } t ? t : S(o["spec"]?["topicName"]) is { Length: > 0 } st ? st : name(o),
                 S(o["status"]?["partitions"] ?? o["spec"]?["partitions"]), S(o["status"]?["replicas"] ?? o["spec"]?["replicas"]), Ready(o), age(o)]);
        if (kind == ResourceKinds.KafkaConnector)
            return (["NAME", "CONNECTOR CLASS", "MAX TASKS", "STATE", "READY", "AGE"], o =>
                [name(o), S(o["spec"]?["class"]), S(o["spec"]?["tasksMax"] ?? 1),
                 S(o["status"]?["connectorStatus"]?["connector"]?["state"]) is { Length: > 0 } state ? state : "<unknown>", Ready(o), age(o)]);
        return null;
    }

    private static string Ready(JsonObject o) =>
        (o["status"]?["conditions"] as JsonArray ?? []).FirstOrDefault(c => (string?)c?["type"] == "Ready") is { } c ? (string?)c["status"] ?? "" : "";
}
