using System.Text.Json.Nodes;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Storage;
using Platform.Contracts.Resources;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Resources;

/// <summary>
/// Deletion with Kubernetes semantics, all in one transaction: an object with finalizers only gets a
/// <c>deletionTimestamp</c> (it goes when the last finalizer is removed); <c>propagationPolicy</c> Background
/// (default) or Foreground deletes dependents (objects whose ownerReferences name it), Orphan strips the
/// reference from them; deleting a namespace deletes everything in it.
/// </summary>
internal sealed class DeletionService(ObjectStore store, TimeProvider time)
{
    private const int MaxDepth = 16;

    /// <summary>Deletes the object and its dependents by policy; with <paramref name="dryRun"/> the transaction is rolled back.</summary>
    /// <param name="precheck">Runs in the delete's transaction once the object is read (the eviction API's budget check); may throw to refuse.</param>
    public Task<StoredObject> DeleteAsync(Caller caller, ResourceKind kind, string? ns, string name, string? propagation, bool dryRun, CancellationToken ct,
        Func<WriteSession, StoredObject, CancellationToken, Task>? precheck = null)
    {
        var policy = propagation ?? "Background";
        if (policy is not ("Background" or "Foreground" or "Orphan"))
            throw ApiProblem.BadRequest("propagationPolicy", $"'{policy}' is not one of Background, Foreground, Orphan");
        return Retry.OnTransientAsync(async () =>
        {
            await using var w = await store.BeginAsync(ct);
            var current = await w.GetAsync(kind, ns ?? "", name, ct) ?? throw ResourceService.NotFound(kind, name);
            Admission.CheckCaller(caller, kind, current.Body);
            Authorizer.CheckNodeWrite(caller, kind, current.Body);
            if (precheck is not null) await precheck(w, current, ct);
            var body = current.CloneBody();
            StoredObject result;
            if (Admission.HasFinalizers(body))
            {
                result = current;
                if (body["metadata"]!["deletionTimestamp"] is null)
                {
                    body["metadata"]!["deletionTimestamp"] = time.GetUtcNow();
                    result = await w.UpdateAsync(kind, body, ct);
                }
            }
            else
            {
                await w.LockVersionsAsync(ct);
                result = await DeleteTreeAsync(w, kind, current, policy, [], 0, ct);
            }
            if (!dryRun) await w.CommitAsync(ct);
            return result;
        });
    }

    private async Task<StoredObject> DeleteTreeAsync(WriteSession w, ResourceKind kind, StoredObject obj, string policy, HashSet<Guid> seen, int depth, CancellationToken ct)
    {
        if (!seen.Add(obj.Uid) || depth > MaxDepth) return obj;
        if (kind == ResourceKinds.Namespace)
        {
            foreach (var (k, o) in await w.ListNamespaceAsync(obj.Name, ct))
                if (seen.Add(o.Uid)) await w.DeleteAsync(k, o.CloneBody(), ct);
            return await w.DeleteAsync(kind, obj.CloneBody(), ct);
        }
        var dependents = await w.ListDependentsAsync(obj.Uid, ct);
        if (policy == "Orphan")
        {
            foreach (var (k, d) in dependents) await w.UpdateAsync(k, WithoutOwner(d.CloneBody(), obj.Uid), ct);
            return await w.DeleteAsync(kind, obj.CloneBody(), ct);
        }
        StoredObject? deleted = null;
        if (policy == "Background") deleted = await w.DeleteAsync(kind, obj.CloneBody(), ct);
        foreach (var (k, d) in dependents) await DeleteTreeAsync(w, k, d, policy, seen, depth + 1, ct);
        return deleted ?? await w.DeleteAsync(kind, obj.CloneBody(), ct);
    }

    private static JsonObject WithoutOwner(JsonObject body, Guid owner)
    {
        if (body["metadata"]?["ownerReferences"] is JsonArray refs)
        {
            foreach (var r in refs.Where(r => Guid.TryParse((string?)r?["uid"], out var g) && g == owner).ToList()) refs.Remove(r);
            if (refs.Count == 0) ((JsonObject)body["metadata"]!).Remove("ownerReferences");
        }
        return body;
    }
}
