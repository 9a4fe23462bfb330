using Platform.Contracts.Resources;
using Platform.Scheduler.Plugins.VolumeBinding;

namespace Platform.Scheduler.Tests.Support;

/// <summary>Claims, volumes and classes held in memory, for the framework without informers.</summary>
internal sealed class MemoryVolumeLister : IVolumeLister
{
    public Dictionary<string, PersistentVolumeClaim> Claims { get; } = [];
    public Dictionary<string, PersistentVolume> Volumes { get; } = [];
    public Dictionary<string, StorageClass> Classes { get; } = [];

    public PersistentVolumeClaim? Claim(string ns, string name) => Claims.GetValueOrDefault($"{ns}/{name}");
    public PersistentVolume? Volume(string name) => Volumes.GetValueOrDefault(name);
    public StorageClass? Class(string name) => Classes.GetValueOrDefault(name);
}
