using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Platform.Console.Apiserver;
using Platform.Contracts.Resources;

namespace Platform.Console.Pages;

/// <summary>One revision of a Deployment: its ReplicaSet, <c>kubernetes.io/change-cause</c> and images.</summary>
internal sealed record RevisionRow(long Revision, string ReplicaSet, string ChangeCause, string Images, bool Current);

/// <summary>
/// Rollout history and undo: a Deployment's revisions are the ReplicaSets it controls, numbered by
/// <c>deployment.kubernetes.io/revision</c>; Undo does what <c>kubectl rollout undo --to-revision=N</c> does — the
/// Deployment's template and annotations set to the revision's (pod-template-hash removed) — as one update with the
/// user's token and the read's resourceVersion, so RBAC and the audit log see the user and a concurrent change is a 409.
/// </summary>
internal sealed partial class WorkloadsModel
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string ChangeCauseAnnotation = "kubernetes.io/change-cause";
    private const string HashLabel = "pod-template-hash";

    /// <summary>kubectl's rollback leaves these on the Deployment and never copies them from the ReplicaSet.</summary>
    private static readonly HashSet<string> AnnotationsNotCopied =
    [
        "kubectl.kubernetes.io/last-applied-configuration", RevisionAnnotation, "deployment.kubernetes.io/revision-history",
        "deployment.kubernetes.io/desired-replicas", "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to",
    ];

    /// <summary>Each Deployment's revisions (key <c>ns/name</c>), newest first.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<RevisionRow>> History { get; private set; } = new Dictionary<string, IReadOnlyList<RevisionRow>>();

    internal static Dictionary<string, IReadOnlyList<RevisionRow>> HistoryOf(IEnumerable<JsonObject> deployments, IReadOnlyList<JsonObject> replicaSets)
    {
        var history = new Dictionary<string, IReadOnlyList<RevisionRow>>(StringComparer.Ordinal);
        foreach (var d in deployments)
        {
            var revisions = Revisions(d, replicaSets);
            var current = long.TryParse(d.Str("metadata", "annotations", RevisionAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c
                : revisions.Count > 0 ? revisions[^1].Revision : 0;
            history[$"{d.Ns()}/{d.Name()}"] = [.. revisions.AsEnumerable().Reverse().Select(r => new RevisionRow(r.Revision, r.Rs.Name(),
                r.Rs.Str("metadata", "annotations", ChangeCauseAnnotation) ?? "<none>",
                string.Join(", ", r.Rs.Objects("spec", "template", "spec", "containers").Select(x => x.Str("image"))), r.Revision == current))];
        }
        return history;
    }

    /// <summary>The ReplicaSets <paramref name="deployment"/> controls that carry a revision, oldest first.</summary>
    private static List<(long Revision, JsonObject Rs)> Revisions(JsonObject deployment, IEnumerable<JsonObject> replicaSets)
    {
        var uid = deployment.Str("metadata", "uid");
        return [.. replicaSets
            .Where(rs => rs.Ns() == deployment.Ns() && rs.Objects("metadata", "ownerReferences")
                .Any(r => uid is not null && r.Str("uid") == uid && r.Str("kind") == "Deployment" && r.Str("controller") != "false"))
            .Select(rs => (Revision: long.TryParse(rs.Str("metadata", "annotations", RevisionAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0, Rs: rs))
            .Where(x => x.Revision > 0)
            .OrderBy(x => x.Revision)];
    }

    public async Task<IActionResult> OnPostUndoAsync(string? target, string? name, string? revision, CancellationToken ct)
    {
        if (Check("deployments", target, name, Restartable) is { } error) return BadRequest(error);
        if (!long.TryParse(revision, NumberStyles.None, CultureInfo.InvariantCulture, out var wanted) || wanted < 1)
            return BadRequest("revision: a revision number (1 or more) is required");
        Flash = await WriteAsync(c => UndoAsync(c, target!, name!, wanted, ct), $"deployment.apps/{name} rolled back to revision {wanted}");
        return RedirectToPage(new { ns = RequestedNamespace });
    }

    private static async Task UndoAsync(Platform.ApiServer.Client.ApiClient client, string ns, string name, long wanted, CancellationToken ct)
    {
        var path = ResourceKinds.Deployment.ObjectPath(ns, name);
        var d = (await client.SendAsync(HttpMethod.Get, path, null, ct)).Object;
        if (d.Str("spec", "paused") == "true")
            throw Refusal(path, System.Net.HttpStatusCode.Conflict, "Conflict", "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
        var replicaSets = (await client.SendAsync(HttpMethod.Get, ResourceKinds.ReplicaSet.CollectionPath(ns), null, ct)).Object["items"] is JsonArray a ? a.OfType<JsonObject>().ToList() : [];
        var rs = Revisions(d, replicaSets).FirstOrDefault(r => r.Revision == wanted).Rs
            ?? throw Refusal(path, System.Net.HttpStatusCode.NotFound, "NotFound", $"unable to find specified revision {wanted} in history");
        var template = (JsonObject)rs["spec"]!["template"]!.DeepClone();
        if (template["metadata"]?["labels"] is JsonObject labels) labels.Remove(HashLabel);
        if (JsonNode.DeepEquals(template, d["spec"]?["template"]))
            throw Refusal(path, System.Net.HttpStatusCode.Conflict, "Conflict", $"skipped rollback (current template already matches revision {wanted})");
        var annotations = new JsonObject();
        foreach (var (k, v) in d["metadata"]?["annotations"] as JsonObject ?? [])
            if (AnnotationsNotCopied.Contains(k)) annotations[k] = v?.DeepClone();
        foreach (var (k, v) in rs["metadata"]?["annotations"] as JsonObject ?? [])
            if (!AnnotationsNotCopied.Contains(k)) annotations[k] = v?.DeepClone();
        d["spec"]!["template"] = template;
        ((JsonObject)d["metadata"]!)["annotations"] = annotations;
        // The read's resourceVersion stays in the body: a Deployment changed in between is a 409, not overwritten.
        await client.SendAsync(HttpMethod.Put, path, d, ct);
    }

    private static Platform.ApiServer.Client.ApiException Refusal(string path, System.Net.HttpStatusCode status, string reason, string message) =>
        new("PUT", path, status, reason, message);
}
