using Platform.Contracts.Resources;
using Platform.Gateway.Routing;
using Platform.Gateway.Tenancy;

namespace Platform.Gateway.Status;

/// <summary>
/// The status a Route should carry, from what the gateway holds now (Gateway API's route conditions):
/// <c>Accepted</c> (False <c>Invalid</c> when its newest version does not build, False <c>Conflicted</c> when another
/// namespace holds its host/path claim), <c>ResolvedRefs</c> (False <c>BackendNotFound</c> when its <c>lb://</c>
/// backend has no instances) and <c>Programmed</c> (True when it is in the snapshot being served).
/// </summary>
internal static class RouteConditions
{
    public const string Accepted = "Accepted", ResolvedRefs = "ResolvedRefs", Programmed = "Programmed";

    /// <summary>What the gateway knows of one Route.</summary>
    public sealed record Facts(long Generation, string? Refusal, RouteConflict? Conflict, CompiledRoute? Served, IReadOnlyList<string> Instances, string? BackendProblem);

    public static RouteStatus Compute(Facts f, RouteStatus? current, DateTimeOffset now)
    {
        var accepted = f.Refusal is { } refusal
            ? C(Accepted, false, "Invalid", f.Served is null ? $"not built: {refusal}" : $"not built, the previous version keeps serving: {refusal}")
            : f.Conflict is { } conflict ? C(Accepted, false, "Conflicted", conflict.Reason)
            : C(Accepted, true, "Accepted", "the route builds and holds its hosts and paths");
        var resolved = f.Served is not { } served ? C(ResolvedRefs, null, "Pending", "not served, so its backend is not resolved")
            : served.Upstream.Scheme == "no" ? C(ResolvedRefs, true, "ResolvedRefs", "no://op: a filter names each request's URL")
            : f.Instances.Count == 0 ? C(ResolvedRefs, false, "BackendNotFound", f.BackendProblem ?? $"{served.Definition.Uri} has no instances; answering 503")
            : C(ResolvedRefs, true, "ResolvedRefs", $"{f.Instances.Count} instance(s)");
        var programmed = f.Refusal is null && f.Served is not null ? C(Programmed, true, "Programmed", "served by the gateway")
            : f.Served is not null ? C(Programmed, false, "Invalid", "the previous version is served")
            : C(Programmed, false, f.Conflict is null ? "Pending" : "Conflicted", "not served");
        return new RouteStatus
        {
            ObservedGeneration = f.Generation,
            Conditions = [.. new[] { accepted, resolved, programmed }.Select(c => Stamp(c, f.Generation, current, now))],
            Instances = f.Served is null || f.Served.Upstream.Scheme == "no" ? [] : [.. f.Instances],
        };
    }

    private static Condition C(string type, bool? status, string reason, string message) => new()
    {
        Type = type,
        Status = status switch { true => "True", false => "False", null => "Unknown" },
        Reason = reason,
        Message = message,
    };

    /// <summary>A condition keeps its transition time while its status stays the same.</summary>
    private static Condition Stamp(Condition c, long generation, RouteStatus? current, DateTimeOffset now)
    {
        var before = current?.Conditions?.FirstOrDefault(x => x.Type == c.Type);
        return c with
        {
            ObservedGeneration = generation,
            LastTransitionTime = before is not null && before.Status == c.Status && before.LastTransitionTime is { } t ? t : now,
        };
    }
}
