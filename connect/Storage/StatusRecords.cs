using System.Text;
using System.Text.Json.Nodes;

namespace Platform.Connect.Storage;

/// <summary>
/// Status-topic records as Kafka Connect's KafkaStatusBackingStore writes them: key <c>status-connector-&lt;name&gt;</c> or
/// <c>status-task-&lt;name&gt;-&lt;n&gt;</c>, value <c>{"state":"RUNNING","trace":null,"worker_id":"host:8083","generation":3}</c>.
/// </summary>
internal static class StatusRecords
{
    public const string ConnectorPrefix = "status-connector-";
    public const string TaskPrefix = "status-task-";

    public static string ConnectorKey(string name) => ConnectorPrefix + name;
    public static string TaskKey(string name, int task) => $"{TaskPrefix}{name}-{task}";

    public static byte[] Encode(ConnectorStatus s) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["state"] = s.State,
        ["trace"] = s.Trace,
        ["worker_id"] = s.WorkerId,
        ["generation"] = s.Generation,
    }.ToJsonString());

    public static ConnectorStatus? Decode(byte[] value)
    {
        var node = JsonNode.Parse(value);
        var state = node?["state"]?.GetValue<string>();
        if (state is null) return null;
        return new ConnectorStatus(state, node!["trace"]?.GetValue<string>(), node["worker_id"]?.GetValue<string>() ?? "",
            node["generation"]?.GetValue<int>() ?? 0);
    }
}
