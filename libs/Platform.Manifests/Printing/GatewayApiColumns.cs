using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.Manifests.Printing;

/// <summary>The columns of Gateway API's kinds, after the printer columns of its CRDs.</summary>
internal static class GatewayApiColumns
{
    public static (string[] Headers, Func<JsonObject, string[]> Row)? For(ResourceKind kind, bool wide, Func<JsonObject, string> name, Func<JsonObject, string> age)
    {
        static string S(JsonNode? n) => n?.ToString() ?? "";
        if (kind == ResourceKinds.GatewayClass)
            return (wide ? ["NAME", "CONTROLLER", "ACCEPTED", "AGE", "DESCRIPTION"] : ["NAME", "CONTROLLER", "ACCEPTED", "AGE"], o =>
            {
                string[] row = [name(o), S(o["spec"]?["controllerName"]), Condition(o, "Accepted"), age(o)];
                return wide ? [.. row, S(o["spec"]?["description"])] : row;
            });
        if (kind == ResourceKinds.Gateway)
            return (["NAME", "CLASS", "ADDRESS", "PROGRAMMED", "AGE"], o =>
                [name(o), S(o["spec"]?["gatewayClassName"]), S(o["status"]?["addresses"]?[0]?["value"]), Condition(o, "Programmed"), age(o)]);
        if (kind == ResourceKinds.HttpRoute)
            return (["NAME", "HOSTNAMES", "AGE"], o =>
                [name(o), o["spec"]?["hostnames"] is JsonArray { Count: > 0 } h ? $"[\"{string.Join("\",\"", h.Select(S))}\"]" : "", age(o)]);
        if (kind == ResourceKinds.ReferenceGrant)
            return (["NAME", "AGE"], o => [name(o), age(o)]);
        return null;
    }

    private static string Condition(JsonObject o, string type) =>
        (o["status"]?["conditions"] as JsonArray ?? []).FirstOrDefault(c => (string?)c?["type"] == type) is { } c ? (string?)c["status"] ?? "" : "Unknown";
}
