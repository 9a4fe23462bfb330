using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.Manifests.Printing;

/// <summary>kubectl's columns for PriorityClasses and PodDisruptionBudgets.</summary>
internal static class PolicyColumns
{
    public static (string[] Headers, Func<JsonObject, string[]> Row)? For(ResourceKind kind, Func<JsonObject, string> name, Func<JsonObject, string> age)
    {
        static string S(JsonNode? n) => n?.ToString() ?? "";
        if (kind == ResourceKinds.PriorityClass)
            return (["NAME", "VALUE", "GLOBAL-DEFAULT", "PREEMPTIONPOLICY", "AGE"], o =>
                [name(o), S(o["value"] ?? 0), ((bool?)o["globalDefault"] ?? false) ? "true" : "false",
                 S(o["preemptionPolicy"]) is { Length: > 0 } p ? p : PriorityClass.PreemptLowerPriority, age(o)]);
        if (kind == ResourceKinds.PodDisruptionBudget)
            return (["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"], o =>
                [name(o), S(o["spec"]?["minAvailable"]) is { Length: > 0 } min ? min : "N/A",
                 S(o["spec"]?["maxUnavailable"]) is { Length: > 0 } max ? max : "N/A", S(o["status"]?["disruptionsAllowed"] ?? 0), age(o)]);
        return null;
    }
}
