using System.Text.Json.Nodes;

namespace Platform.Manifests.Printing;

/// <summary>
/// kubectl's node columns (<c>printNode</c> in <c>pkg/printers/internalversion/printers.go</c>): NAME, STATUS (Ready,
/// NotReady or Unknown, with <c>SchedulingDisabled</c> when cordoned), ROLES (from <c>node-role.kubernetes.io/*</c>
/// labels), AGE, VERSION; wide adds INTERNAL-IP, EXTERNAL-IP, OS-IMAGE, KERNEL-VERSION and CONTAINER-RUNTIME.
/// </summary>
internal static class NodeColumns
{
    private const string RolePrefix = "node-role.kubernetes.io/";

    public static (string[] Headers, Func<JsonObject, string[]> Row) For(bool wide, DateTimeOffset now)
    {
        string[] headers = ["NAME", "STATUS", "ROLES", "AGE", "VERSION"];
        return (wide ? [.. headers, "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"] : headers, o =>
        {
            var info = o["status"]?["nodeInfo"];
            string[] row = [S(o["metadata"]?["name"]), Status(o), Roles(o), Age.Since((string?)o["metadata"]?["creationTimestamp"], now), Or(S(info?["kubeletVersion"]))];
            if (!wide) return row;
            return [.. row, Address(o, "InternalIP"), Address(o, "ExternalIP"), Or(S(info?["osImage"]), "<unknown>"),
                Or(S(info?["kernelVersion"]), "<unknown>"), Or(S(info?["containerRuntimeVersion"]), "<unknown>")];
        });
    }

    private static string Status(JsonObject o)
    {
        var ready = (o["status"]?["conditions"] as JsonArray ?? []).FirstOrDefault(c => (string?)c?["type"] == "Ready");
        var status = (string?)ready?["status"] switch { "True" => "Ready", null => "Unknown", _ => "NotReady" };
        return (bool?)o["spec"]?["unschedulable"] == true ? status + ",SchedulingDisabled" : status;
    }

    /// <summary><c>node-role.kubernetes.io/NAME</c> labels (and the older <c>kubernetes.io/role</c>), sorted, or <c>&lt;none&gt;</c>.</summary>
    private static string Roles(JsonObject o)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in o["metadata"]?["labels"] as JsonObject ?? [])
        {
            if (key.StartsWith(RolePrefix, StringComparison.Ordinal) && key.Length > RolePrefix.Length) roles.Add(key[RolePrefix.Length..]);
            else if (key == "kubernetes.io/role" && S(value) is { Length: > 0 } role) roles.Add(role);
        }
        return roles.Count == 0 ? "<none>" : string.Join(",", roles);
    }

    private static string Address(JsonObject o, string type) =>
        Or(S((o["status"]?["addresses"] as JsonArray ?? []).FirstOrDefault(a => (string?)a?["type"] == type)?["address"]));

    private static string S(JsonNode? n) => n?.ToString() ?? "";

    private static string Or(string value, string fallback = "<none>") => value.Length > 0 ? value : fallback;
}
