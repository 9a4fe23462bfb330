using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using Platform.ApiServer.Client.Queue;
using Platform.Contracts.Resources;
using Platform.Contracts.Storage;

namespace Platform.NodeAgent.Volumes;

/// <summary>
/// The node's local provisioner (<c>platform.io/local-path</c>, in the spirit of Rancher's local-path-provisioner):
/// a claim the binder handed to this provisioner and the scheduler placed on this node (<c>selected-node</c>) gets a
/// directory under <c>NodeAgent:VolumeRoot</c> and a PersistentVolume pinned to the node and pre-bound to the claim,
/// which the binder then binds. A volume it made that its claim released is, under reclaimPolicy Delete, removed
/// with its directory; under Retain it stays, data and all. Followed through the kit's informers and work queue.
/// </summary>
internal sealed partial class LocalProvisioner : BackgroundService
{
    private readonly Informer<PersistentVolumeClaim> _claims;
    private readonly Informer<PersistentVolume> _volumes;
    private readonly Informer<StorageClass> _classes;
    private readonly ApiClient _api;
    private readonly EventRecorder _events;
    private readonly NodeAgentOptions _o;
    private readonly ILogger<LocalProvisioner> _log;
    private readonly WorkQueue _queue;

    public LocalProvisioner(SharedInformerFactory informers, ApiClient api, EventRecorder events, IOptions<NodeAgentOptions> options, TimeProvider time, ILogger<LocalProvisioner> log)
    {
        _claims = informers.For<PersistentVolumeClaim>(ResourceKinds.PersistentVolumeClaim);
        _volumes = informers.For<PersistentVolume>(ResourceKinds.PersistentVolume);
        _classes = informers.For<StorageClass>(ResourceKinds.StorageClass);
        _api = api;
        _events = events;
        _o = options.Value;
        _log = log;
        _queue = new WorkQueue(time, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(60));
        _claims.OnChange((old, now) => { if (now is not null && Mine(now)) _queue.Add(ObjectKeys.KeyOf(now)); });
        _volumes.OnChange((old, now) => { if (now is not null && Made(now)) _queue.Add(now.Metadata.Name!); });
    }

    /// <summary>The directory of the volume provisioned for a claim with this uid.</summary>
    public static string VolumeDirectory(NodeAgentOptions o, string volumeName) => Path.Combine(o.VolumeRoot!, volumeName);

    /// <summary>A claim waiting for this provisioner on this node.</summary>
    private bool Mine(PersistentVolumeClaim c) =>
        c.Metadata.Annotations?.GetValueOrDefault(PersistentVolumeClaim.StorageProvisionerAnnotation) == StorageClass.LocalProvisioner
        && c.Metadata.Annotations.GetValueOrDefault(PersistentVolumeClaim.SelectedNodeAnnotation) == _o.NodeName
        && string.IsNullOrEmpty(c.Spec.VolumeName) && c.Metadata.DeletionTimestamp is null;

    /// <summary>A volume this node's provisioner made.</summary>
    private bool Made(PersistentVolume v) =>
        v.Metadata.Annotations?.GetValueOrDefault(PersistentVolume.ProvisionedByAnnotation) == StorageClass.LocalProvisioner
        && LocalVolumes.PinnedNode(v.Spec) == _o.NodeName;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(_claims.WaitForSyncAsync(stoppingToken), _volumes.WaitForSyncAsync(stoppingToken), _classes.WaitForSyncAsync(stoppingToken));
        foreach (var c in _claims.List().Where(Mine)) _queue.Add(ObjectKeys.KeyOf(c));
        foreach (var v in _volumes.List().Where(Made)) _queue.Add(v.Metadata.Name!);
        while (await _queue.GetAsync(stoppingToken) is { } key)
        {
            try
            {
                if (key.Contains('/')) await ProvisionAsync(key, stoppingToken);
                else await ReclaimAsync(key, stoppingToken);
                _queue.Forget(key);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or UnauthorizedAccessException or TimeoutException or System.Text.Json.JsonException)
            {
                Failed(key, ex.Message);
                _queue.AddRateLimited(key);
            }
            finally
            {
                _queue.Done(key);
            }
        }
    }

    private async Task ProvisionAsync(string key, CancellationToken ct)
    {
        if (_claims.Get(key) is not { } claim || !Mine(claim)) return;
        var name = "pvc-" + claim.Metadata.Uid;
        if (_volumes.Get(name) is not null) return; // made; the binder finishes
        var sc = claim.Spec.StorageClassName is { Length: > 0 } cls ? _classes.Get(cls) : null;
        if (sc?.Provisioner != StorageClass.LocalProvisioner) return;
        var dir = VolumeDirectory(_o, name);
        Directory.CreateDirectory(dir);
        // As local-path-provisioner does: any container user may write its volume (pods often run as non-root).
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
        var pv = new PersistentVolume
        {
            ApiVersion = "v1", Kind = "PersistentVolume",
            Metadata = new ObjectMeta { Name = name, Annotations = new() { [PersistentVolume.ProvisionedByAnnotation] = StorageClass.LocalProvisioner } },
            Spec = new PersistentVolumeSpec
            {
                Capacity = new ResourceList { ["storage"] = claim.Spec.Resources?.Requests?.GetValueOrDefault("storage") ?? "0" },
                AccessModes = claim.Spec.AccessModes,
                PersistentVolumeReclaimPolicy = sc.ReclaimPolicy ?? "Delete",
                StorageClassName = sc.Metadata.Name,
                VolumeMode = "Filesystem",
                MountOptions = sc.MountOptions,
                ClaimRef = new ObjectReference { Kind = "PersistentVolumeClaim", ApiVersion = "v1", Namespace = claim.Metadata.Namespace, Name = claim.Metadata.Name, Uid = claim.Metadata.Uid },
                Local = new LocalVolumeSource { Path = dir },
                NodeAffinity = LocalVolumes.PinnedTo(_o.NodeName),
            },
        };
        _events.Record(claim, "Normal", "Provisioning", $"External provisioner is provisioning volume for claim \"{key}\"");
        await _api.CreateAsync(ResourceKinds.PersistentVolume.CollectionPath(null), pv, ct);
        _events.Record(claim, "Normal", "ProvisioningSucceeded", $"Successfully provisioned volume {name}");
        Provisioned(key, name, dir);
    }

    private async Task ReclaimAsync(string name, CancellationToken ct)
    {
        if (_volumes.Get(name) is not { } pv || !Made(pv)) return;
        if (pv.Status?.Phase != "Released" || pv.Spec.PersistentVolumeReclaimPolicy != "Delete") return;
        var dir = pv.Spec.Local?.Path;
        // Only a directory this provisioner owns is removed: directly under the volume root, named after the volume.
        if (dir is not null && Path.GetFullPath(dir) == Path.GetFullPath(VolumeDirectory(_o, name)) && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        await _api.DeleteAsync(ResourceKinds.PersistentVolume.ObjectPath(null, name), "Background", ct);
        Deleted(name, dir ?? "");
    }

    public override void Dispose()
    {
        _queue.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "claim {Claim}: provisioned volume {Volume} at {Path}")]
    private partial void Provisioned(string claim, string volume, string path);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "volume {Volume} released under reclaimPolicy Delete: deleted it and {Path}")]
    private partial void Deleted(string volume, string path);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "local provisioner: {Key} failed, retrying: {Error}")]
    private partial void Failed(string key, string error);
}
