using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.StatefulSet;

namespace Platform.ControllerManager.Tests.Controllers.Sets;

/// <summary>The per-ordinal claims of volumeClaimTemplates: names, labels, and the pod volumes that mount them.</summary>
public sealed class StatefulSetClaimsTests
{
    private static readonly StatefulSet Set = new()
    {
        Metadata = new ObjectMeta { Name = "web", Namespace = "shop" },
        Spec = new StatefulSetSpec
        {
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = "web" } },
            VolumeClaimTemplates =
            [
                new PersistentVolumeClaim
                {
                    Metadata = new ObjectMeta { Name = "data", Labels = new() { ["tier"] = "disk" } },
                    Spec = new PersistentVolumeClaimSpec { AccessModes = ["ReadWriteOnce"], Resources = new ResourceRequirements { Requests = new ResourceList { ["storage"] = "1Gi" } } },
                },
                new PersistentVolumeClaim { Metadata = new ObjectMeta { Name = "logs" } },
            ],
        },
    };

    [Fact]
    public void For_NamesEachClaimTemplateSetOrdinal_AndLabelsItWithTheSelector()
    {
        var claims = StatefulSetClaims.For(Set, 2);
        Assert.Equal(["data-web-2", "logs-web-2"], claims.Select(c => c.Metadata.Name));
        Assert.All(claims, c => Assert.Equal("PersistentVolumeClaim", c.Kind));
        Assert.All(claims, c => Assert.Equal("shop", c.Metadata.Namespace));
        Assert.Equal(new Dictionary<string, string> { ["tier"] = "disk", ["app"] = "web" }, claims[0].Metadata.Labels);
        Assert.Equal("1Gi", claims[0].Spec!.Resources!.Requests!["storage"]);
    }

    [Fact]
    public void WithClaimVolumes_ReplacesTheTemplatesVolumeOfTheSameName_AndAddsTheOthers()
    {
        var spec = new PodSpec
        {
            Volumes = [new Volume { Name = "data", EmptyDir = new EmptyDirVolumeSource() }, new Volume { Name = "config", EmptyDir = new EmptyDirVolumeSource() }],
        };
        var wired = StatefulSetClaims.WithClaimVolumes(spec, Set, 0);
        Assert.Equal(["config", "data", "logs"], wired.Volumes!.Select(v => v.Name).Order());
        Assert.Equal("data-web-0", wired.Volumes!.Single(v => v.Name == "data").PersistentVolumeClaim!.ClaimName);
        Assert.Null(wired.Volumes!.Single(v => v.Name == "data").EmptyDir);
        Assert.NotNull(wired.Volumes!.Single(v => v.Name == "config").EmptyDir);
        Assert.Equal("logs-web-0", wired.Volumes!.Single(v => v.Name == "logs").PersistentVolumeClaim!.ClaimName);
    }

    [Fact]
    public void StatefulPods_OrdinalsAreParsedOnlyFromTheSetsOwnNames()
    {
        Pod Named(string n) => new() { Metadata = new ObjectMeta { Name = n } };
        Assert.Equal(12, StatefulPods.OrdinalOf(Set, Named("web-12")));
        Assert.Equal(-1, StatefulPods.OrdinalOf(Set, Named("web-012")));
        Assert.Equal(-1, StatefulPods.OrdinalOf(Set, Named("webber-1")));
        Assert.Equal(-1, StatefulPods.OrdinalOf(Set, Named("web-x")));
    }
}
