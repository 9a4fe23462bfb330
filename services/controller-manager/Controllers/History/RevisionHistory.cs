using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.Deployment;
using Platform.ControllerManager.Controllers.ReplicaSet;
using Platform.ControllerManager.Informers;

namespace Platform.ControllerManager.Controllers.History;

/// <summary>
/// The ControllerRevisions of a DaemonSet or StatefulSet (Kubernetes' pkg/controller/history): one per distinct
/// template, named <c>&lt;owner&gt;-&lt;hash&gt;</c>, labelled with the template's labels and
/// <c>controller-revision-hash</c>, its <c>data</c> the patch that restores the template, numbered in the order the
/// templates were used (going back to an old template renumbers its revision as the newest), pruned to
/// revisionHistoryLimit.
/// </summary>
internal sealed class RevisionHistory(ClusterInformers informers, ApiClient api)
{
    /// <summary><c>{"spec":{"template":{...,"$patch":"replace"}}}</c>: what <c>kubectl rollout undo</c> applies.</summary>
    public static JsonObject Patch(PodTemplateSpec? template)
    {
        var t = JsonSerializer.SerializeToNode(template ?? new PodTemplateSpec(), ResourceJson.Options)!.AsObject();
        t["$patch"] = "replace";
        return new JsonObject { ["spec"] = new JsonObject { ["template"] = t } };
    }

    /// <summary>The template a revision restores.</summary>
    public static PodTemplateSpec? TemplateOf(ControllerRevision r)
    {
        if (r.Data?["spec"]?["template"]?.DeepClone() is not JsonObject t) return null;
        t.Remove("$patch");
        return t.Deserialize<PodTemplateSpec>(ResourceJson.Options);
    }

    /// <summary>The owner's revisions, oldest first.</summary>
    public IReadOnlyList<ControllerRevision> Owned(Resource owner) =>
        [.. informers.ControllerRevisions.ByIndex(Indexers.Owner, owner.Metadata.Uid ?? "")
            .Where(r => PodFacts.ControllerOf(r)?.Uid == owner.Metadata.Uid)
            .OrderBy(r => r.Revision).ThenBy(r => r.Metadata.Name, StringComparer.Ordinal)];

    /// <summary>
    /// The revision of <paramref name="template"/>: an existing one with the same data (renumbered as the newest
    /// when it is not), else a new one. Null when the name is taken by another template: the caller bumps
    /// <c>status.collisionCount</c> and tries again.
    /// </summary>
    public async Task<ControllerRevision?> EnsureAsync(Resource owner, PodTemplateSpec? template, int collisionCount, IReadOnlyList<ControllerRevision> owned, CancellationToken ct)
    {
        var data = Patch(template);
        var latest = owned.Count == 0 ? 0 : owned.Max(r => r.Revision);
        var ns = owner.Metadata.Namespace;
        if (owned.LastOrDefault(r => JsonNode.DeepEquals(r.Data, data)) is { } same)
        {
            if (same.Revision == latest) return same;
            var patch = new JsonObject { ["revision"] = latest + 1 };
            if (!await api.MergePatchAsync(ResourceKinds.ControllerRevision.ObjectPath(ns, same.Metadata.Name!), patch, ct))
                throw new InvalidOperationException($"controllerrevision {same.Metadata.Name} is gone");
            return same with { Revision = latest + 1 };
        }
        var hash = TemplateHash.Of(template, collisionCount);
        var revision = new ControllerRevision
        {
            ApiVersion = ResourceKinds.ControllerRevision.ApiVersion,
            Kind = ResourceKinds.ControllerRevision.Kind,
            Metadata = new ObjectMeta
            {
                Name = $"{owner.Metadata.Name}-{hash}",
                Namespace = ns,
                Labels = new Dictionary<string, string>(template?.Metadata?.Labels ?? []) { [ControllerRevision.HashLabel] = hash },
                // As Kubernetes does: kubernetes.io/change-cause is what rollout history shows for the revision.
                Annotations = owner.Metadata.Annotations,
                OwnerReferences = [ReplicaSetController.OwnerRef(owner)],
            },
            Data = data,
            Revision = latest + 1,
        };
        if (await api.CreateAsync(ResourceKinds.ControllerRevision.CollectionPath(ns), revision, ct)) return revision;
        // The name exists: ours when the cache has not caught up with our own create, else another template's.
        var existing = await api.GetAsync<ControllerRevision>(ResourceKinds.ControllerRevision.ObjectPath(ns, revision.Metadata.Name), ct);
        return existing is not null && JsonNode.DeepEquals(existing.Data, data) && PodFacts.ControllerOf(existing)?.Uid == owner.Metadata.Uid ? existing : null;
    }

    /// <summary>Records a name collision in the owner's <c>status.collisionCount</c> and fails the sync, which is retried with the new count.</summary>
    public async Task CollisionAsync(ResourceKind kind, Resource owner, int collisionCount, CancellationToken ct)
    {
        // On the owner's resourceVersion: a count read from a stale view is a 409 instead of a count that goes backwards.
        await api.PatchStatusAsync(kind, owner, new JsonObject { ["collisionCount"] = collisionCount + 1 }, ct);
        throw new InvalidOperationException($"the revision name of {kind.Kind} {owner.Metadata.Name} is taken by another template; collisionCount is now {collisionCount + 1}");
    }

    /// <summary>Deletes the oldest revisions beyond <paramref name="limit"/> that no pod runs and that are not <paramref name="current"/>.</summary>
    public async Task PruneAsync(IReadOnlyList<ControllerRevision> owned, ControllerRevision current, Func<ControllerRevision, bool> inUse, int limit, CancellationToken ct)
    {
        var old = owned.Where(r => r.Metadata.Name != current.Metadata.Name && !inUse(r)).OrderBy(r => r.Revision).ToList();
        foreach (var r in old.Take(Math.Max(0, old.Count - limit)))
            await api.DeleteAsync(ResourceKinds.ControllerRevision.ObjectPath(r.Metadata.Namespace, r.Metadata.Name!), "Background", ct);
    }

    /// <summary>The <c>controller-revision-hash</c> of a revision (its label, else the name's suffix).</summary>
    public static string HashOf(ControllerRevision r) =>
        r.Metadata.Labels?.GetValueOrDefault(ControllerRevision.HashLabel) ?? r.Metadata.Name![(r.Metadata.Name!.LastIndexOf('-') + 1)..];
}
