using Platform.Contracts.Resources;
using Platform.Contracts.Storage;
using Platform.ControllerManager.Controllers.PersistentVolume;

namespace Platform.ControllerManager.Tests.Controllers;

/// <summary>Which volume a claim binds to: Kubernetes' findBestMatchForClaim rules.</summary>
public sealed class VolumeMatchingTests
{
    private static PersistentVolume Pv(string name, string size, string cls = "manual", string[]? modes = null, Dictionary<string, string>? labels = null,
        ObjectReference? claimRef = null, string? node = null, string? phase = "Available") => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = labels },
        Spec = new PersistentVolumeSpec
        {
            Capacity = new ResourceList { ["storage"] = size }, AccessModes = [.. modes ?? ["ReadWriteOnce"]], StorageClassName = cls, ClaimRef = claimRef,
            NodeAffinity = node is null ? null : LocalVolumes.PinnedTo(node),
        },
        Status = new PersistentVolumeStatus { Phase = phase },
    };

    private static PersistentVolumeClaim Claim(string size, string cls = "manual", string[]? modes = null, LabelSelector? selector = null) => new()
    {
        Metadata = new ObjectMeta { Name = "data", Namespace = "ns", Uid = "u-1" },
        Spec = new PersistentVolumeClaimSpec
        {
            AccessModes = [.. modes ?? ["ReadWriteOnce"]], StorageClassName = cls, Selector = selector,
            Resources = new ResourceRequirements { Requests = new ResourceList { ["storage"] = size } },
        },
    };

    private static Node NodeNamed(string name) => new() { Metadata = new ObjectMeta { Name = name, Labels = new() { [LocalVolumes.HostnameLabel] = name } } };

    [Fact]
    public void SmallestVolumeThatFits_Wins()
    {
        var best = VolumeMatching.BestMatch(Claim("1Gi"), [Pv("big", "10Gi"), Pv("small", "1Gi"), Pv("tiny", "500Mi"), Pv("mid", "2Gi")], null);
        Assert.Equal("small", best?.Metadata.Name);
    }

    [Fact]
    public void ClassAccessModesSelectorAndPhase_MustAllAgree()
    {
        Assert.Null(VolumeMatching.BestMatch(Claim("1Gi", cls: "fast"), [Pv("a", "5Gi")], null));
        Assert.Null(VolumeMatching.BestMatch(Claim("1Gi", modes: ["ReadWriteMany"]), [Pv("a", "5Gi")], null));
        Assert.Equal("b", VolumeMatching.BestMatch(Claim("1Gi", modes: ["ReadWriteOnce", "ReadOnlyMany"]), [Pv("a", "1Gi"), Pv("b", "5Gi", modes: ["ReadWriteOnce", "ReadOnlyMany"])], null)?.Metadata.Name);
        var selector = new LabelSelector { MatchLabels = new() { ["tier"] = "gold" } };
        Assert.Equal("gold", VolumeMatching.BestMatch(Claim("1Gi", selector: selector), [Pv("plain", "1Gi"), Pv("gold", "5Gi", labels: new() { ["tier"] = "gold" })], null)?.Metadata.Name);
        Assert.Null(VolumeMatching.BestMatch(Claim("1Gi"), [Pv("released", "1Gi", phase: "Released")], null));
    }

    [Fact]
    public void VolumePreBoundToTheClaim_WinsOverASmallerOne_AndOnesReservedForOthersAreSkipped()
    {
        var mine = new ObjectReference { Namespace = "ns", Name = "data" };
        var theirs = new ObjectReference { Namespace = "ns", Name = "other" };
        Assert.Equal("reserved", VolumeMatching.BestMatch(Claim("1Gi"), [Pv("small", "1Gi"), Pv("reserved", "8Gi", claimRef: mine)], null)?.Metadata.Name);
        Assert.Null(VolumeMatching.BestMatch(Claim("1Gi"), [Pv("taken", "1Gi", claimRef: theirs)], null));
        Assert.Null(VolumeMatching.BestMatch(Claim("1Gi"), [Pv("old-claim", "1Gi", claimRef: mine with { Uid = "u-0" })], null));
    }

    [Fact]
    public void SelectedNode_KeepsOnlyVolumesReachableFromIt()
    {
        var volumes = new[] { Pv("on-a", "1Gi", node: "a"), Pv("on-b", "2Gi", node: "b") };
        Assert.Equal("on-b", VolumeMatching.BestMatch(Claim("1Gi"), volumes, NodeNamed("b"))?.Metadata.Name);
        Assert.Null(VolumeMatching.BestMatch(Claim("1Gi"), volumes, NodeNamed("c")));
        Assert.Equal("on-a", VolumeMatching.BestMatch(Claim("1Gi"), volumes, null)?.Metadata.Name);
    }
}
