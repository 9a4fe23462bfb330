using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Informers;
using PV = Platform.Contracts.Resources.PersistentVolume;
using PVC = Platform.Contracts.Resources.PersistentVolumeClaim;

namespace Platform.ControllerManager.Controllers.PersistentVolume;

/// <summary>
/// kube-controller-manager's PersistentVolume binder. A claim binds to the best matching volume
/// (<see cref="VolumeMatching"/>): the volume's <c>claimRef</c> is written first, then the claim's <c>volumeName</c>,
/// then both statuses, so a crash between the steps leaves a volume reserved for the claim, which the next sync
/// completes. A claim no volume fits is handed to its class's provisioner (the <c>storage-provisioner</c>
/// annotation); a WaitForFirstConsumer class waits for the scheduler's <c>selected-node</c> first. A volume whose
/// claim is gone is Released and then kept (Retain) or left to the provisioner that made it to delete (Delete).
/// Keys: a claim's <c>namespace/name</c>, a volume's <c>name</c>.
/// </summary>
internal sealed partial class VolumeBinder : Controller
{
    private readonly EventRecorder _events;
    private readonly ILogger _log;

    public VolumeBinder(ClusterInformers informers, ApiClient api, EventRecorder events, IOptions<ControllerManagerOptions> options, TimeProvider time, ILogger<VolumeBinder> log)
        : base(informers, api, options, time, log)
    {
        _events = events;
        _log = log;
        informers.PersistentVolumeClaims.OnChange((old, now) =>
        {
            Queue.Add(ObjectKeys.KeyOf((now ?? old)!));
            // A claim gone releases its volume.
            if (now is null && old!.Spec.VolumeName is { Length: > 0 } volume) Queue.Add(volume);
        });
        informers.PersistentVolumes.OnChange((old, now) =>
        {
            var pv = (now ?? old)!;
            Queue.Add(pv.Metadata.Name!);
            // A new or freed volume may be what a pending claim waits for; a claimRef names the claim to finish.
            if (pv.Spec.ClaimRef is { Namespace: { } ns, Name: { } name }) Queue.Add($"{ns}/{name}");
            if (now is not null && now.Spec.ClaimRef is null)
                foreach (var claim in Informers.PersistentVolumeClaims.List().Where(c => string.IsNullOrEmpty(c.Spec.VolumeName))) Queue.Add(ObjectKeys.KeyOf(claim));
        });
        informers.StorageClasses.OnChange((_, _) =>
        {
            foreach (var claim in Informers.PersistentVolumeClaims.List().Where(c => string.IsNullOrEmpty(c.Spec.VolumeName))) Queue.Add(ObjectKeys.KeyOf(claim));
        });
    }

    protected override string Name => "persistentvolume-binder";

    protected override IEnumerable<string> AllKeys() =>
        Informers.PersistentVolumeClaims.List().Select(ObjectKeys.KeyOf).Concat(Informers.PersistentVolumes.List().Select(v => v.Metadata.Name!));

    protected override Task ReconcileAsync(string key, CancellationToken ct) =>
        key.Contains('/') ? SyncClaimAsync(key, ct) : SyncVolumeAsync(key, ct);

    private async Task SyncClaimAsync(string key, CancellationToken ct)
    {
        if (Informers.PersistentVolumeClaims.Get(key) is not { } claim || claim.Metadata.DeletionTimestamp is not null) return;
        if (string.IsNullOrEmpty(claim.Spec.VolumeName))
        {
            await SyncUnboundClaimAsync(claim, ct);
            return;
        }
        if (Informers.PersistentVolumes.Get(claim.Spec.VolumeName) is not { } pv)
        {
            // A bound claim whose volume is gone has lost its data; one that only names a volume waits for it.
            if (claim.Status?.Phase == "Bound")
            {
                await SetClaimStatusAsync(claim, "Lost", null, ct);
                _events.Record(claim, "Warning", "ClaimLost", "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!");
            }
            return;
        }
        if (pv.Spec.ClaimRef is null)
        {
            // The user named the volume: reserve it, then finish like any binding.
            if (!VolumeMatching.Fits(pv, claim, null))
            {
                _events.Record(claim, "Warning", "FailedBinding", $"Cannot bind to requested volume \"{pv.Metadata.Name}\": it does not match the claim's class, access modes, size or volume mode");
                return;
            }
            await BindAsync(claim, pv, byController: false, ct);
            return;
        }
        if (VolumeMatching.IsFor(pv.Spec.ClaimRef, claim))
        {
            await BindAsync(claim, pv, byController: claim.Metadata.Annotations?.ContainsKey(PVC.BoundByControllerAnnotation) == true, ct);
            return;
        }
        _events.Record(claim, "Warning", "FailedBinding", $"volume \"{pv.Metadata.Name}\" already bound to a different claim.");
    }

    private async Task SyncUnboundClaimAsync(PVC claim, CancellationToken ct)
    {
        var cls = claim.Spec.StorageClassName ?? "";
        var sc = cls.Length == 0 ? null : Informers.StorageClasses.Get(cls);
        var waits = sc?.VolumeBindingMode == "WaitForFirstConsumer";
        var selected = claim.Metadata.Annotations?.GetValueOrDefault(PVC.SelectedNodeAnnotation);
        if (waits && selected is null)
        {
            // Kubernetes says so once per sync as a Normal event; the claim stays Pending until a pod is scheduled.
            _events.Record(claim, "Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
            return;
        }
        var node = selected is null ? null : Informers.Nodes.Get(selected);
        if (VolumeMatching.BestMatch(claim, Informers.PersistentVolumes.List(), node) is { } pv)
        {
            await BindAsync(claim, pv, byController: true, ct);
            return;
        }
        if (sc is not null && claim.Spec.Selector is null)
        {
            await AskProvisionerAsync(claim, sc, ct);
            return;
        }
        var reason = cls.Length == 0 ? "no persistent volumes available for this claim and no storage class is set"
            : sc is null ? $"storageclass.storage.k8s.io \"{cls}\" not found"
            : "no persistent volumes available for this claim and a claim with a selector cannot be provisioned";
        _events.Record(claim, "Warning", sc is null && cls.Length > 0 ? "ProvisioningFailed" : "FailedBinding", reason);
    }

    /// <summary>Marks the claim for its class's provisioner, which makes a volume pre-bound to it.</summary>
    private async Task AskProvisionerAsync(PVC claim, StorageClass sc, CancellationToken ct)
    {
        var provisioner = sc.Provisioner ?? "";
        if (claim.Metadata.Annotations?.GetValueOrDefault(PVC.StorageProvisionerAnnotation) != provisioner)
        {
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["resourceVersion"] = claim.Metadata.ResourceVersion,
                    ["annotations"] = new JsonObject { [PVC.StorageProvisionerAnnotation] = provisioner, [PVC.BetaStorageProvisionerAnnotation] = provisioner },
                },
            };
            await Api.MergePatchAsync(ResourceKinds.PersistentVolumeClaim.ObjectPath(claim.Metadata.Namespace, claim.Metadata.Name!), patch, ct);
        }
        _events.Record(claim, "Normal", "ExternalProvisioning",
            $"Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.");
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "claim {Claim} bound to volume {Volume}")]
    private partial void Bound(string claim, string volume);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "volume {Volume} is {Phase}")]
    private partial void VolumePhase(string volume, string phase);
}
