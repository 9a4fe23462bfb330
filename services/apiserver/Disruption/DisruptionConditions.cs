using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Disruption;

/// <summary>The <c>DisruptionAllowed</c> condition of a PodDisruptionBudget's status, set as Kubernetes' disruption controller sets it.</summary>
internal static class DisruptionConditions
{
    public static void Set(JsonObject status, bool allowed, string reason, DateTimeOffset now)
    {
        var conditions = status["conditions"] as JsonArray ?? [];
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == PodDisruptionBudget.DisruptionAllowedCondition);
        var value = allowed ? "True" : "False";
        if (existing is not null && (string?)existing["status"] == value && (string?)existing["reason"] == reason) return;
        if (existing is not null) conditions.Remove(existing);
        conditions.Add(new JsonObject
        {
            ["type"] = PodDisruptionBudget.DisruptionAllowedCondition,
            ["status"] = value,
            ["reason"] = reason,
            ["message"] = "",
            ["lastTransitionTime"] = now,
        });
        status["conditions"] = conditions;
    }
}
