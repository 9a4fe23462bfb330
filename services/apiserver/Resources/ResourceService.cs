using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.ApiServer.Auth;
using Platform.ApiServer.LimitRanges;
using Platform.ApiServer.PodSecurity;
using Platform.ApiServer.Priority;
using Platform.ApiServer.Quota;
using Platform.ApiServer.ServiceAllocation;
using Platform.ApiServer.StorageClasses;
using Platform.ApiServer.Storage;
using Platform.Contracts.Resources;

using Platform.ApiServer.Resources.Apply;
using Platform.ApiServer.Resources.Patching;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Resources;

/// <summary>
/// Create, read, replace and patch of any kind; each write is one transaction with its outbox event, or joins a group
/// transaction with other single-object writes (<see cref="GroupCommitter"/>; dry runs, quota charges and Service
/// address claims never do).
/// </summary>
internal sealed class ResourceService(ObjectStore store, Admission admission, Authorizer authorizer, PodSecurityAdmission podSecurity, ServiceAllocator services, TimeProvider time)
{
    /// <summary>Creates the object; with <paramref name="dryRun"/> everything runs but the transaction is rolled back.</summary>
    public Task<StoredObject> CreateAsync(Caller caller, ResourceKind kind, string? ns, JsonObject body, WriteRequest warnings, bool dryRun, CancellationToken ct) =>
        Retry.OnTransientAsync(async grouped =>
        {
            warnings.Clear();
            var prepared = Admission.Prepare(kind, ns, null, (JsonObject)body.DeepClone(), warnings);
            var admitted = admission.AdmitCreate(kind, prepared, warnings);
            Admission.CheckCaller(caller, kind, admitted);
            Authorizer.CheckNodeWrite(caller, kind, admitted);
            await authorizer.CheckEscalationAsync(caller, kind, admitted, ct);
            await using var w = await store.BeginAsync(ct, grouped);
            admitted = await AdmitInNamespaceAsync(w, caller, kind, ns, admitted, warnings, ct);
            return await w.InsertAsync(kind, admitted, ct, kind.Namespaced ? (ResourceKinds.Namespace, ns!) : null, commit: !dryRun);
        });

    public async Task<StoredObject> GetAsync(Caller caller, ResourceKind kind, string? ns, string name, CancellationToken ct)
    {
        var obj = await store.GetAsync(kind, ns ?? "", name, ct) ?? throw NotFound(kind, name);
        Admission.CheckCaller(caller, kind, obj.Body);
        return obj;
    }

    public Task<(List<StoredObject> Items, long ResourceVersion)> ListAsync(ResourceKind kind, string? ns, Selector labels, FieldSelector fields, CancellationToken ct) =>
        store.ListAsync(kind, ns, labels, fields, ct);

    /// <summary>PUT of the object or of its <c>status</c> subresource. Returns the stored object and whether it changed.</summary>
    public Task<(StoredObject Object, bool Changed)> ReplaceAsync(Caller caller, ResourceKind kind, string? ns, string name, string? subresource,
        JsonObject body, WriteRequest warnings, bool dryRun, CancellationToken ct) =>
        Retry.OnTransientAsync(async grouped =>
        {
            warnings.Clear();
            var prepared = Admission.Prepare(kind, ns, name, (JsonObject)body.DeepClone(), warnings);
            await using var w = await store.BeginAsync(ct, grouped);
            var current = await w.GetAsync(kind, ns ?? "", name, ct) ?? throw NotFound(kind, name);
            Admission.CheckCaller(caller, kind, current.Body);
            JsonObject desired;
            if (subresource == "status")
            {
                desired = current.CloneBody();
                Admission.CopyStatus(prepared, desired);
                desired["metadata"]!["resourceVersion"] = prepared["metadata"]?["resourceVersion"]?.DeepClone();
            }
            else
            {
                desired = prepared;
                if (kind.HasSubresource("status")) Admission.CopyStatus(current.Body, desired);
            }
            ManagedFields.Carry(current.Body, desired);
            return await FinishUpdateAsync(w, caller, kind, current, desired, dryRun, ct, warnings);
        });

    /// <summary>A merge, strategic merge or JSON patch of the object or its <c>status</c>; a <c>metadata.resourceVersion</c> the patch sets is a precondition.</summary>
    public Task<(StoredObject Object, bool Changed)> PatchAsync(Caller caller, ResourceKind kind, string? ns, string name, string? subresource,
        PatchDocument patch, WriteRequest warnings, bool dryRun, CancellationToken ct) =>
        Retry.OnTransientAsync(async grouped =>
        {
            warnings.Clear();
            await using var w = await store.BeginAsync(ct, grouped);
            var current = await w.GetAsync(kind, ns ?? "", name, ct) ?? throw NotFound(kind, name);
            Admission.CheckCaller(caller, kind, current.Body);
            var merged = patch.ApplyTo(current.CloneBody());
            if (merged["metadata"] is JsonObject m && !patch.SetsResourceVersion)
                m["resourceVersion"] = current.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            merged = Admission.Prepare(kind, ns, name, merged, warnings);
            JsonObject desired;
            if (subresource == "status")
            {
                desired = current.CloneBody();
                Admission.CopyStatus(merged, desired);
                desired["metadata"]!["resourceVersion"] = merged["metadata"]?["resourceVersion"]?.DeepClone();
            }
            else
            {
                desired = merged;
                if (kind.HasSubresource("status")) Admission.CopyStatus(current.Body, desired);
            }
            ManagedFields.Carry(current.Body, desired);
            return await FinishUpdateAsync(w, caller, kind, current, desired, dryRun, ct, warnings);
        });

    /// <summary>
    /// Server-side apply: creates the object when it does not exist (the caller must be allowed to create), else
    /// merges the manager's configuration with field ownership (<see cref="ManagedFields.Apply"/>).
    /// </summary>
    public Task<(StoredObject Object, bool Changed, bool Created)> ApplyAsync(Caller caller, ResourceKind kind, string? ns, string name,
        JsonObject applied, WriteRequest request, bool dryRun, CancellationToken ct) =>
        Retry.OnTransientAsync(async grouped =>
        {
            request.Clear();
            var prepared = Admission.Prepare(kind, ns, name, (JsonObject)applied.DeepClone(), request);
            await using var w = await store.BeginAsync(ct, grouped);
            var current = await w.GetAsync(kind, ns ?? "", name, ct);
            if (current is null)
            {
                authorizer.Check(caller, Verb.Create, kind, ns, null);
                var admitted = admission.AdmitCreate(kind, (JsonObject)prepared.DeepClone(), request);
                ManagedFields.OnApplyCreate(admitted, prepared, request.FieldManager, kind.ApiVersion, time.GetUtcNow());
                Admission.CheckCaller(caller, kind, admitted);
                Authorizer.CheckNodeWrite(caller, kind, admitted);
                await authorizer.CheckEscalationAsync(caller, kind, admitted, ct);
                admitted = await AdmitInNamespaceAsync(w, caller, kind, ns, admitted, request, ct);
                var created = await w.InsertAsync(kind, admitted, ct, kind.Namespaced ? (ResourceKinds.Namespace, ns!) : null, commit: !dryRun);
                return (created, true, true);
            }
            Admission.CheckCaller(caller, kind, current.Body);
            var next = ManagedFields.Apply(current.CloneBody(), prepared, request.FieldManager, request.Force, kind.ApiVersion, time.GetUtcNow());
            if (next["metadata"] is JsonObject m && prepared["metadata"]?["resourceVersion"] is null)
                m["resourceVersion"] = current.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            if (kind.HasSubresource("status")) Admission.CopyStatus(current.Body, next);
            var (obj, changed) = await FinishUpdateAsync(w, caller, kind, current, next, dryRun, ct, request, apply: true);
            return (obj, changed, false);
        });

    /// <summary>Admits and writes <paramref name="desired"/> in <paramref name="w"/>, deleting the object when its last finalizer was removed during deletion.</summary>
    internal async Task<(StoredObject, bool)> FinishUpdateAsync(WriteSession w, Caller caller, ResourceKind kind, StoredObject current, JsonObject desired, bool dryRun,
        CancellationToken ct, WriteRequest? warnings = null, bool apply = false)
    {
        var next = admission.AdmitUpdate(kind, current, desired, warnings);
        if (next is null) return (current, false);
        if (!apply)
            ManagedFields.OnUpdate(current.Body, next, warnings?.FieldManager ?? "unknown", kind.ApiVersion, warnings?.Subresource, time.GetUtcNow());
        Admission.CheckCaller(caller, kind, next);
        await authorizer.CheckEscalationAsync(caller, kind, next, ct);
        await AdmitPodSecurityAsync(w, caller, kind, current.Body, next, warnings, ct);
        var terminating = next["metadata"]?["deletionTimestamp"] is not null && !Admission.HasFinalizers(next);
        if (kind == ResourceKinds.PriorityClass) await PriorityAdmission.AdmitClassAsync(w, next, ct);
        // Allocation before quota: quota may write a ResourceQuota, which takes the resourceVersion lock until commit, and
        // an allocation waiting on a concurrent writer's row while holding that lock could deadlock with it.
        if (!terminating && kind == ResourceKinds.Service && warnings?.Subresource != "status") next = await services.AllocateAsync(w, next, ct);
        if (!terminating && kind.Namespaced)
            next = await QuotaAdmission.AdmitUpdateAsync(w, kind, current.Namespace, current.Body, next, warnings?.Subresource, ct);
        // A dry run writes without committing: the session's disposal rolls the transaction (and its outbox event) back.
        var written = terminating ? await w.DeleteAsync(kind, next, ct, commit: !dryRun) : await w.UpdateAsync(kind, next, ct, commit: !dryRun);
        return (written, true);
    }

    /// <summary>
    /// The admission of a new object that reads its namespace, in Kubernetes' order: Pod Security, then LimitRanger's
    /// defaults and bounds for pods, then ResourceQuota (last, so it charges what the LimitRanges filled in).
    /// </summary>
    private async Task<JsonObject> AdmitInNamespaceAsync(WriteSession w, Caller caller, ResourceKind kind, string? ns, JsonObject admitted, WriteRequest request, CancellationToken ct)
    {
        if (kind == ResourceKinds.Pod) await w.PrefetchAsync(PodAdmissionReads(ns!, admitted), ct);
        await AdmitPodSecurityAsync(w, caller, kind, null, admitted, request, ct);
        if (kind == ResourceKinds.PriorityClass) await PriorityAdmission.AdmitClassAsync(w, admitted, ct);
        if (!kind.Namespaced) return admitted;
        if (kind == ResourceKinds.Pod) admitted = await PriorityAdmission.AdmitPodAsync(w, admitted, ct);
        if (kind == ResourceKinds.Pod) admitted = await LimitRangeAdmission.AdmitPodAsync(w, ns!, admitted, ct);
        if (kind == ResourceKinds.Service) admitted = await services.AllocateAsync(w, admitted, ct);
        if (kind == ResourceKinds.PersistentVolumeClaim) admitted = await ClaimAdmission.AdmitClaimAsync(w, admitted, ct);
        return await QuotaAdmission.AdmitCreateAsync(w, kind, ns!, admitted, ct);
    }

    /// <summary>What a new pod's admission reads, fetched in one round trip: its namespace (Pod Security's labels), its PriorityClass (or every class, for the global default), the namespace's LimitRanges and ResourceQuotas.</summary>
    private static AdmissionRead[] PodAdmissionReads(string ns, JsonObject pod) =>
    [
        new(ResourceKinds.Namespace, "", ns),
        (string?)pod["spec"]?["priorityClassName"] is { Length: > 0 } priorityClass ? new(ResourceKinds.PriorityClass, "", priorityClass) : new(ResourceKinds.PriorityClass, ""),
        new(ResourceKinds.LimitRange, ns),
        new(ResourceKinds.ResourceQuota, ns),
    ];

    /// <summary>Pod Security admission of pods, workload templates and namespace labels; its warnings join the response's, its annotations the audit event's.</summary>
    private async Task AdmitPodSecurityAsync(WriteSession w, Caller caller, ResourceKind kind, JsonObject? current, JsonObject next, WriteRequest? request, CancellationToken ct)
    {
        foreach (var warning in await podSecurity.AdmitAsync(w, caller, kind, current, next, request?.Subresource, request?.AuditAnnotations, ct))
            request?.Add(warning);
    }

    public static ApiProblem NotFound(ResourceKind kind, string name) => ApiProblem.NotFound($"{kind.QualifiedPlural} \"{name}\" not found");
}
