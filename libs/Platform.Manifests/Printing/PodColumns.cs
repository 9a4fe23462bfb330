using System.Globalization;
using System.Text.Json.Nodes;

namespace Platform.Manifests.Printing;

/// <summary>
/// The READY, STATUS and RESTARTS cells of a pod, computed as kubectl's printer does (<c>printPod</c> in
/// <c>pkg/printers/internalversion/printers.go</c>): the first unfinished init container gives <c>Init:N/M</c> or
/// <c>Init:&lt;reason&gt;</c>; after initialization the last container with a waiting or terminated reason gives it
/// (<c>ErrImagePull</c>, <c>CrashLoopBackOff</c>, <c>Completed</c>, <c>OOMKilled</c>); a deleted pod is <c>Terminating</c>;
/// otherwise the phase.
/// </summary>
public static class PodColumns
{
    public static (string Ready, string Status, string Restarts) Of(JsonObject pod, DateTimeOffset now)
    {
        var status = pod["status"] as JsonObject;
        var phase = (string?)status?["phase"] ?? "";
        var reason = (string?)status?["reason"] is { Length: > 0 } r ? r : phase;
        var totalContainers = (pod["spec"]?["containers"] as JsonArray)?.Count ?? 0;
        var initCount = (pod["spec"]?["initContainers"] as JsonArray)?.Count ?? 0;
        var restarts = 0;
        DateTimeOffset? lastRestart = null;

        var initializing = false;
        var initStatuses = (status?["initContainerStatuses"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var c = initStatuses[i];
            restarts += (int?)c["restartCount"] ?? 0;
            lastRestart = Later(lastRestart, c["lastState"]?["terminated"]?["finishedAt"]);
            var terminated = c["state"]?["terminated"] as JsonObject;
            var waitingReason = (string?)c["state"]?["waiting"]?["reason"];
            if (terminated is not null && ((int?)terminated["exitCode"] ?? 0) == 0) continue;
            initializing = true;
            if (terminated is not null) reason = "Init:" + TerminatedReason(terminated);
            else if (waitingReason is { Length: > 0 } && waitingReason != "PodInitializing") reason = "Init:" + waitingReason;
            else reason = $"Init:{i}/{initCount}";
            break;
        }

        var ready = 0;
        if (!initializing || ConditionTrue(status, "Initialized"))
        {
            // kubectl counts init container restarts only while the pod initializes.
            restarts = 0;
            lastRestart = null;
            var hasRunning = false;
            var statuses = (status?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var c = statuses[i];
                restarts += (int?)c["restartCount"] ?? 0;
                lastRestart = Later(lastRestart, c["lastState"]?["terminated"]?["finishedAt"]);
                var state = c["state"] as JsonObject;
                if ((string?)state?["waiting"]?["reason"] is { Length: > 0 } waiting) reason = waiting;
                else if (state?["terminated"] is JsonObject t) reason = TerminatedReason(t);
                else if ((bool?)c["ready"] == true && state?["running"] is not null)
                {
                    hasRunning = true;
                    ready++;
                }
            }
            // A finished sidecar-style container beside a running one: the pod is still running.
            if (reason == "Completed" && hasRunning) reason = ConditionTrue(status, "Ready") ? "Running" : "NotReady";
        }

        if (pod["metadata"]?["deletionTimestamp"] is not null)
        {
            if ((string?)status?["reason"] == "NodeLost") reason = "Unknown";
            else if (phase is not ("Succeeded" or "Failed")) reason = "Terminating";
        }

        var restartText = restarts.ToString(CultureInfo.InvariantCulture);
        if (restarts != 0 && lastRestart is { } last) restartText += $" ({Age.Since(last.ToString("O", CultureInfo.InvariantCulture), now)} ago)";
        return ($"{ready}/{totalContainers}", reason, restartText);
    }

    private static string TerminatedReason(JsonObject terminated)
    {
        if ((string?)terminated["reason"] is { Length: > 0 } reason) return reason;
        return (int?)terminated["signal"] is { } signal and not 0
            ? "Signal:" + signal.ToString(CultureInfo.InvariantCulture)
            : "ExitCode:" + ((int?)terminated["exitCode"] ?? 0).ToString(CultureInfo.InvariantCulture);
    }

    private static bool ConditionTrue(JsonObject? status, string type) =>
        (status?["conditions"] as JsonArray ?? []).Any(c => (string?)c?["type"] == type && (string?)c?["status"] == "True");

    private static DateTimeOffset? Later(DateTimeOffset? current, JsonNode? timestamp) =>
        DateTimeOffset.TryParse((string?)timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && (current is null || t > current) ? t : current;
}
