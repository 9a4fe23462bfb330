using System.Text.Json.Nodes;

namespace Platform.Manifests.Printing;

/// <summary>kubectl's Job and CronJob cells.</summary>
internal static class JobColumns
{
    public static readonly string[] JobHeaders = ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"];
    public static readonly string[] CronJobHeaders = ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"];

    public static string[] Job(JsonObject o, DateTimeOffset now)
    {
        var spec = o["spec"];
        var status = o["status"];
        var succeeded = (int?)status?["succeeded"] ?? 0;
        // A work-queue Job (no completions) completes on its first success: kubectl prints "N/1 of P".
        var completions = spec?["completions"] is { } c ? $"{succeeded}/{c}" : $"{succeeded}/1 of {(int?)spec?["parallelism"] ?? 1}";
        var start = Time(status?["startTime"]);
        var end = Time(status?["completionTime"]);
        var duration = start is null ? "" : Age.Of((end ?? now) - start.Value);
        return [Name(o), Status(o), completions, duration, Age.Since((string?)o["metadata"]?["creationTimestamp"], now)];
    }

    /// <summary>kubectl's Job STATUS: the terminal condition, else Suspended, Terminating or Running.</summary>
    private static string Status(JsonObject o)
    {
        var conditions = (o["status"]?["conditions"] as JsonArray ?? []).Where(c => (string?)c?["status"] == "True").Select(c => (string?)c?["type"]).ToHashSet();
        if (conditions.Contains("Complete")) return "Complete";
        if (conditions.Contains("Failed")) return "Failed";
        if (o["metadata"]?["deletionTimestamp"] is not null) return "Terminating";
        if (conditions.Contains("FailureTarget")) return "FailureTarget";
        if (conditions.Contains("SuccessCriteriaMet")) return "SuccessCriteriaMet";
        if (conditions.Contains("Suspended")) return "Suspended";
        return "Running";
    }

    public static string[] CronJob(JsonObject o, DateTimeOffset now)
    {
        var spec = o["spec"];
        var last = (string?)o["status"]?["lastScheduleTime"];
        return [Name(o), (string?)spec?["schedule"] ?? "", (string?)spec?["timeZone"] ?? "<none>", (bool?)spec?["suspend"] == true ? "True" : "False",
            ((o["status"]?["active"] as JsonArray)?.Count ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
            last is null ? "<none>" : Age.Since(last, now), Age.Since((string?)o["metadata"]?["creationTimestamp"], now)];
    }

    private static string Name(JsonObject o) => (string?)o["metadata"]?["name"] ?? "";

    private static DateTimeOffset? Time(JsonNode? n) =>
        DateTimeOffset.TryParse((string?)n, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
