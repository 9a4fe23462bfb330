using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Resources;
using Platform.Contracts.Storage;
using Platform.Scheduler.Plugins.VolumeBinding;
using Platform.Scheduler.Tests.Support;

namespace Platform.Scheduler.Tests.Plugins;

/// <summary>VolumeBinding's PreFilter and Filter: claims must exist, bound volumes pin their pods, unbound claims wait or follow the selected node.</summary>
public sealed class VolumeBindingTests
{
    private readonly TestScheduler _s = new TestScheduler().WithNodes(Make.Node("a", labels: [$"{LocalVolumes.HostnameLabel}=a"]), Make.Node("b", labels: [$"{LocalVolumes.HostnameLabel}=b"]));

    private VolumeBinding Plugin() => new(_s.Volumes, new ServiceCollection().BuildServiceProvider());

    private static Pod WithClaim(string claim) => Make.Pod("p").With(x => x with { Volumes = [new Volume { Name = "data", PersistentVolumeClaim = new PersistentVolumeClaimVolumeSource { ClaimName = claim } }] });

    private void AddClaim(string name, string? volume = null, string cls = "standard", string? selectedNode = null) =>
        _s.Volumes.Claims[$"default/{name}"] = new PersistentVolumeClaim
        {
            Metadata = new ObjectMeta
            {
                Name = name, Namespace = "default", ResourceVersion = "1",
                Annotations = selectedNode is null ? null : new() { [PersistentVolumeClaim.SelectedNodeAnnotation] = selectedNode },
            },
            Spec = new PersistentVolumeClaimSpec { VolumeName = volume, StorageClassName = cls },
        };

    private void AddClass(string name, string mode) => _s.Volumes.Classes[name] = new StorageClass { Metadata = new ObjectMeta { Name = name }, Provisioner = "x.io/y", VolumeBindingMode = mode };

    [Fact]
    public void PodWithoutClaims_IsNotLookedAt()
    {
        Assert.Equal(StatusCode.Skip, Plugin().PreFilter(new CycleState(), new PodInfo(Make.Pod("p")), _s.Cache).Code);
    }

    [Fact]
    public void MissingClaim_AndUnboundImmediateClaim_AreUnresolvable()
    {
        Assert.Equal(["persistentvolumeclaim \"data\" not found"], _s.Filter(Plugin(), WithClaim("data"), "a").Reasons);
        AddClass("now", "Immediate");
        AddClaim("data", cls: "now");
        var status = _s.Filter(Plugin(), WithClaim("data"), "a");
        Assert.Equal((StatusCode.UnschedulableAndUnresolvable, VolumeBinding.ReasonUnboundImmediate), (status.Code, status.Reasons.Single()));
    }

    [Fact]
    public void BoundLocalVolume_PinsThePodToItsNode()
    {
        AddClaim("data", volume: "pv-1");
        _s.Volumes.Volumes["pv-1"] = new PersistentVolume { Metadata = new ObjectMeta { Name = "pv-1" }, Spec = new PersistentVolumeSpec { NodeAffinity = LocalVolumes.PinnedTo("b") } };
        Assert.Equal([VolumeBinding.ReasonNodeConflict], _s.Filter(Plugin(), WithClaim("data"), "a").Reasons);
        Assert.True(_s.Filter(Plugin(), WithClaim("data"), "b").IsSuccess);
    }

    [Fact]
    public void WaitForFirstConsumerClaim_FitsAnyNode_UntilANodeIsSelectedForIt()
    {
        AddClass("standard", "WaitForFirstConsumer");
        AddClaim("data");
        Assert.True(_s.Filter(Plugin(), WithClaim("data"), "a").IsSuccess);
        Assert.True(_s.Filter(Plugin(), WithClaim("data"), "b").IsSuccess);
        AddClaim("data", selectedNode: "b");
        Assert.Equal([VolumeBinding.ReasonSelectedElsewhere], _s.Filter(Plugin(), WithClaim("data"), "a").Reasons);
        Assert.True(_s.Filter(Plugin(), WithClaim("data"), "b").IsSuccess);
    }
}
