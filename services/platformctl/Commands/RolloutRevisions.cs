using System.Globalization;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.Ctl.Commands;

/// <summary>
/// A rollout's revision history: for a Deployment the ReplicaSets it controls, each carrying the
/// <c>deployment.kubernetes.io/revision</c> annotation; for a DaemonSet or StatefulSet the ControllerRevisions it
/// controls, numbered by their <c>revision</c> and holding the template patch. The controller-manager writes both.
/// </summary>
public static class RolloutRevisions
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string ChangeCauseAnnotation = "kubernetes.io/change-cause";
    public const string RollbackToAnnotation = "deployment.platform.io/rollback-to";

    /// <summary>The owned ReplicaSets or ControllerRevisions that have a revision, oldest revision first.</summary>
    public static async Task<List<(long Revision, JsonObject Source)>> ListAsync(CtlSession session, RolloutTarget target, JsonObject owner, CancellationToken ct)
    {
        var uid = (string?)owner["metadata"]?["uid"];
        var kind = target.IsDeployment ? ResourceKinds.ReplicaSet : ResourceKinds.ControllerRevision;
        var list = await session.Api.ListAsync(kind, session.Namespace, null, null, ct);
        return (list["items"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(o => (o["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>()
                .Any(r => uid is not null && (string?)r["uid"] == uid && (string?)r["kind"] == target.Kind.Kind && (bool?)r["controller"] != false))
            .Select(o => (Revision: target.IsDeployment ? Of(o) : (long?)o["revision"] ?? 0, Source: o))
            .Where(x => x.Revision > 0)
            .OrderBy(x => x.Revision)
            .ToList();
    }

    /// <summary>The pod template a revision holds: a ReplicaSet's, or the one a ControllerRevision's patch restores.</summary>
    public static JsonObject? TemplateOf(JsonObject source)
    {
        if (source["spec"]?["template"] is JsonObject t) return t;
        if (source["data"]?["spec"]?["template"]?.DeepClone() is not JsonObject patch) return null;
        patch.Remove("$patch");
        return patch;
    }

    public static long Of(JsonObject obj) =>
        (string?)obj["metadata"]?["annotations"]?[RevisionAnnotation] is { } s
        && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    public static string ChangeCause(JsonObject obj) => (string?)obj["metadata"]?["annotations"]?[ChangeCauseAnnotation] ?? "<none>";

    public static string Text(long revision) => revision.ToString(CultureInfo.InvariantCulture);
}
