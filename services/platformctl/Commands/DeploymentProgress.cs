using System.Text.Json.Nodes;

namespace Platform.Ctl.Commands;

/// <summary>
/// One reading of a Deployment's rollout, worded and ordered as kubectl's DeploymentStatusViewer: a status written
/// for an older generation is not trusted; then the progress deadline, updated, old and available replicas.
/// </summary>
public sealed record DeploymentProgress(string Message, bool Done, bool Failed)
{
    public static DeploymentProgress Of(JsonObject d)
    {
        var name = (string?)d["metadata"]?["name"] ?? "";
        var generation = (long?)d["metadata"]?["generation"] ?? 0;
        var status = d["status"] as JsonObject;
        var observed = (long?)status?["observedGeneration"] ?? 0;
        if (status is null || generation > observed)
            return new("Waiting for deployment spec update to be observed...", false, false);
        var progressing = (status["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Progressing");
        if ((string?)progressing?["reason"] == "ProgressDeadlineExceeded")
            return new($"deployment \"{name}\" exceeded its progress deadline", false, true);
        var replicas = (int?)d["spec"]?["replicas"] ?? 1;
        var updated = (int?)status["updatedReplicas"] ?? 0;
        var current = (int?)status["replicas"] ?? 0;
        var available = (int?)status["availableReplicas"] ?? 0;
        if (updated < replicas)
            return new($"Waiting for deployment \"{name}\" rollout to finish: {updated} out of {replicas} new replicas have been updated...", false, false);
        if (current > updated)
            return new($"Waiting for deployment \"{name}\" rollout to finish: {current - updated} old replicas are pending termination...", false, false);
        if (available < updated)
            return new($"Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available...", false, false);
        return new($"deployment \"{name}\" successfully rolled out", true, false);
    }
}
