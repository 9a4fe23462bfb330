using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Informers;
using PVC = Platform.Contracts.Resources.PersistentVolumeClaim;

namespace Platform.ControllerManager.Controllers.PersistentVolume;

/// <summary>
/// Kubernetes' pvc-protection controller: a claim being deleted keeps its <c>kubernetes.io/pvc-protection</c>
/// finalizer (added by the apiserver at creation) while a pod that has not finished mounts it, and loses it, and so
/// goes, once none does. A pod that finishes or goes requeues the claims it mounted.
/// </summary>
internal sealed partial class ClaimProtectionController : Controller
{
    private readonly ILogger _log;

    public ClaimProtectionController(ClusterInformers informers, ApiClient api, IOptions<ControllerManagerOptions> options, TimeProvider time, ILogger<ClaimProtectionController> log)
        : base(informers, api, options, time, log)
    {
        _log = log;
        informers.Pods.EnsureIndexer(Indexers.Claim, Indexers.ByClaim);
        informers.PersistentVolumeClaims.OnChange((_, now) => { if (now is not null && Protected(now)) Queue.Add(ObjectKeys.KeyOf(now)); });
        informers.Pods.OnChange((old, now) =>
        {
            if (now is not null && !Finished(now)) return;
            foreach (var claim in Indexers.ByClaim((old ?? now)!)) Queue.Add(claim);
        });
    }

    protected override string Name => "pvc-protection";

    protected override IEnumerable<string> AllKeys() => Informers.PersistentVolumeClaims.List().Where(Protected).Select(ObjectKeys.KeyOf);

    /// <summary>A pod that ran to its end no longer uses its volumes; one being deleted does until it is gone.</summary>
    private static bool Finished(Pod p) => p.Status?.Phase is "Succeeded" or "Failed";

    private static bool Protected(PVC c) => c.Metadata.DeletionTimestamp is not null && c.Metadata.Finalizers?.Contains(PVC.ProtectionFinalizer) == true;

    protected override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        if (Informers.PersistentVolumeClaims.Get(key) is not { } claim || !Protected(claim)) return;
        var users = Informers.Pods.ByIndex(Indexers.Claim, key).Where(p => !Finished(p)).ToList();
        if (users.Count > 0) return; // a pod's end requeues the claim
        // The pod cache may be behind a pod created a moment ago: ask the apiserver before letting the claim go.
        var live = await Api.ListAsync<Pod>(ResourceKinds.Pod.CollectionPath(claim.Metadata.Namespace), ct);
        if (live.Items.Any(p => !Finished(p) && Indexers.ByClaim(p).Contains(key))) return;
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = claim.Metadata.ResourceVersion,
                ["finalizers"] = new JsonArray([.. claim.Metadata.Finalizers!.Where(f => f != PVC.ProtectionFinalizer).Select(f => (JsonNode)JsonValue.Create(f))]),
            },
        };
        await Api.MergePatchAsync(ResourceKinds.PersistentVolumeClaim.ObjectPath(claim.Metadata.Namespace, claim.Metadata.Name!), patch, ct);
        Released(key);
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "claim {Claim}: no pod uses it, removed its pvc-protection finalizer")]
    private partial void Released(string claim);
}
