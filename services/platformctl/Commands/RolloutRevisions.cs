using System.Globalization;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.Ctl.Commands;

/// <summary>
/// A Deployment's revision history: the ReplicaSets it controls (ownerReference with its uid), each carrying the
/// <c>deployment.kubernetes.io/revision</c> annotation the controller-manager writes.
/// </summary>
public static class RolloutRevisions
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string ChangeCauseAnnotation = "kubernetes.io/change-cause";
    public const string RollbackToAnnotation = "deployment.platform.io/rollback-to";

    /// <summary>The owned ReplicaSets that have a revision, oldest revision first.</summary>
    public static async Task<List<(long Revision, JsonObject ReplicaSet)>> ListAsync(CtlSession session, JsonObject deployment, CancellationToken ct)
    {
        var uid = (string?)deployment["metadata"]?["uid"];
        var list = await session.Api.ListAsync(ResourceKinds.ReplicaSet, session.Namespace, null, null, ct);
        return (list["items"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(rs => (rs["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>()
                .Any(o => uid is not null && (string?)o["uid"] == uid && (string?)o["kind"] == "Deployment"))
            .Select(rs => (Revision: Of(rs), ReplicaSet: rs))
            .Where(x => x.Revision > 0)
            .OrderBy(x => x.Revision)
            .ToList();
    }

    public static long Of(JsonObject obj) =>
        (string?)obj["metadata"]?["annotations"]?[RevisionAnnotation] is { } s
        && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    public static string ChangeCause(JsonObject obj) => (string?)obj["metadata"]?["annotations"]?[ChangeCauseAnnotation] ?? "<none>";

    public static string Text(long revision) => revision.ToString(CultureInfo.InvariantCulture);
}
