using System.Text;
using System.Text.Json.Nodes;

namespace Platform.Connect.Storage;

using Props = IReadOnlyDictionary<string, string>;

/// <summary>
/// The config topic's records exactly as Kafka Connect's KafkaConfigBackingStore writes them (JSON converter without
/// schemas): <c>connector-&lt;name&gt;</c> → <c>{"properties":{...}}</c> (null deletes), <c>task-&lt;name&gt;-&lt;n&gt;</c> →
/// <c>{"properties":{...}}</c>, <c>commit-&lt;name&gt;</c> → <c>{"tasks":N}</c> (makes the task configs written before it
/// visible), <c>target-state-&lt;name&gt;</c> → <c>{"state":"PAUSED","state.v2":"STOPPED"}</c>.
/// </summary>
internal static class ConfigRecords
{
    public const string ConnectorPrefix = "connector-";
    public const string TaskPrefix = "task-";
    public const string CommitPrefix = "commit-";
    public const string TargetStatePrefix = "target-state-";
    public const string RestartPrefix = "restart-connector-";

    public static string ConnectorKey(string name) => ConnectorPrefix + name;
    public static string TaskKey(string name, int task) => $"{TaskPrefix}{name}-{task}";
    public static string CommitKey(string name) => CommitPrefix + name;
    public static string TargetStateKey(string name) => TargetStatePrefix + name;

    public static byte[] Properties(Props props)
    {
        var map = new JsonObject();
        foreach (var (k, v) in props) map[k] = v;
        return Encoding.UTF8.GetBytes(new JsonObject { ["properties"] = map }.ToJsonString());
    }

    public static string RestartKey(string name) => RestartPrefix + name;

    public static byte[] Restart(RestartRequest request)
    {
        var body = new JsonObject { ["include-tasks"] = request.IncludeTasks, ["only-failed"] = request.OnlyFailed };
        if (request.Task is { } t) body["task"] = t;
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    public static RestartRequest? ReadRestart(byte[] value)
    {
        var node = JsonNode.Parse(value);
        if (node is null) return null;
        return new RestartRequest(node["include-tasks"]?.GetValue<bool>() ?? false, node["only-failed"]?.GetValue<bool>() ?? false, node["task"]?.GetValue<int>());
    }

    public static byte[] Commit(int tasks) => Encoding.UTF8.GetBytes(new JsonObject { ["tasks"] = tasks }.ToJsonString());

    /// <summary>STOPPED is written as PAUSED in <c>state</c> so older workers keep the connector's tasks idle, as Kafka does.</summary>
    public static byte[] TargetState(TargetState state)
    {
        var body = new JsonObject { ["state"] = state == Storage.TargetState.Stopped ? "PAUSED" : Upper(state) };
        if (state == Storage.TargetState.Stopped) body["state.v2"] = "STOPPED";
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    public static Dictionary<string, string>? ReadProperties(byte[] value)
    {
        var props = JsonNode.Parse(value)?["properties"] as JsonObject;
        return props?.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "");
    }

    public static int? ReadCommit(byte[] value) => JsonNode.Parse(value)?["tasks"]?.GetValue<int>();

    public static TargetState? ReadTargetState(byte[] value)
    {
        var node = JsonNode.Parse(value);
        var raw = node?["state.v2"]?.GetValue<string>() ?? node?["state"]?.GetValue<string>();
        return raw switch
        {
            "STARTED" => Storage.TargetState.Started,
            "PAUSED" => Storage.TargetState.Paused,
            "STOPPED" => Storage.TargetState.Stopped,
            _ => null,
        };
    }

    public static string Upper(TargetState state) => state.ToString().ToUpperInvariant();
}
