using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;

namespace Platform.Scheduler.Plugins.VolumeBinding;

/// <summary>The claims, volumes and classes <see cref="VolumeBinding"/> reads (kube-scheduler's listers).</summary>
internal interface IVolumeLister
{
    PersistentVolumeClaim? Claim(string ns, string name);
    PersistentVolume? Volume(string name);
    StorageClass? Class(string name);
}

/// <summary>The listers over the scheduler's shared informers.</summary>
internal sealed class InformerVolumeLister(SharedInformerFactory informers) : IVolumeLister
{
    private readonly Informer<PersistentVolumeClaim> _claims = informers.For<PersistentVolumeClaim>(ResourceKinds.PersistentVolumeClaim);
    private readonly Informer<PersistentVolume> _volumes = informers.For<PersistentVolume>(ResourceKinds.PersistentVolume);
    private readonly Informer<StorageClass> _classes = informers.For<StorageClass>(ResourceKinds.StorageClass);

    public PersistentVolumeClaim? Claim(string ns, string name) => _claims.Get(ns, name);
    public PersistentVolume? Volume(string name) => _volumes.Get(name);
    public StorageClass? Class(string name) => _classes.Get(name);
}
