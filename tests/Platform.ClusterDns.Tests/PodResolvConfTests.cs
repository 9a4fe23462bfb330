using Platform.Contracts.Resources;
using Platform.Contracts.Validation;
using Xunit;

namespace Platform.ClusterDns.Tests;

public sealed class PodResolvConfTests
{
    private static readonly PodResolvConf Node = PodResolvConf.Parse("# host\nnameserver 127.0.0.53\nsearch corp.example\noptions edns0\n");
    private static readonly ClusterDnsOptions Options = new();

    private static PodSpec Spec(string? policy = null, bool hostNetwork = false, PodDnsConfig? config = null) =>
        new() { Containers = [new Container { Name = "c", Image = "i" }], DnsPolicy = policy, HostNetwork = hostNetwork, DnsConfig = config };

    [Fact]
    public void ClusterFirst_PointsAtClusterDns_WithTheNamespacesSearchPath()
    {
        var conf = PodResolvConf.For(Spec(), "dev", "10.244.0.1", Node, Options);
        Assert.Equal(
            "nameserver 10.244.0.1\nsearch dev.svc.cluster.local svc.cluster.local cluster.local corp.example\noptions ndots:5\n",
            conf.ToString());
    }

    [Fact]
    public void ClusterFirst_OnTheHostNetwork_FallsBackToTheNodesResolver_UnlessAskedWithHostNet()
    {
        Assert.Equal(Node.ToString(), PodResolvConf.For(Spec(hostNetwork: true), "dev", "10.244.0.1", Node, Options).ToString());
        Assert.Equal(["10.244.0.1"], PodResolvConf.For(Spec("ClusterFirstWithHostNet", hostNetwork: true), "dev", "10.244.0.1", Node, Options).Nameservers);
        Assert.Equal(["127.0.0.53"], PodResolvConf.For(Spec("Default"), "dev", "10.244.0.1", Node, Options).Nameservers);
    }

    [Fact]
    public void None_IsExactlyTheDnsConfig_AndOptionsReplaceDefaultsByName()
    {
        var config = new PodDnsConfig
        {
            Nameservers = ["10.0.0.9"], Searches = ["a.example."],
            Options = [new PodDnsConfigOption { Name = "ndots", Value = "2" }, new PodDnsConfigOption { Name = "single-request" }],
        };
        Assert.Equal("nameserver 10.0.0.9\nsearch a.example\noptions ndots:2 single-request\n",
            PodResolvConf.For(Spec("None", config: config), "dev", "10.244.0.1", Node, Options).ToString());
        var merged = PodResolvConf.For(Spec(config: config), "dev", "10.244.0.1", Node, Options);
        Assert.Equal(["10.244.0.1", "10.0.0.9"], merged.Nameservers);
        Assert.Equal(["ndots:2", "single-request"], merged.Options);
    }

    [Fact]
    public void DnsSettings_AreValidatedWithTheirFieldNames()
    {
        var errors = new FieldErrors();
        var spec = Spec("None", config: new PodDnsConfig { Nameservers = ["1.1.1.1", "2.2.2.2", "3.3.3.3", "nope"] }) with { Hostname = "Bad_Host" };
        PodDnsValidator.Validate(spec, "spec", errors);
        var paths = errors.Select(e => e.Field).ToList();
        Assert.Contains("spec.dnsConfig.nameservers", paths);
        Assert.Contains("spec.dnsConfig.nameservers[3]", paths);
        Assert.Contains("spec.hostname", paths);

        errors = new FieldErrors();
        PodDnsValidator.Validate(Spec("None"), "spec", errors);
        Assert.Equal("spec.dnsConfig.nameservers", Assert.Single(errors).Field);

        errors = new FieldErrors();
        PodDnsValidator.Validate(Spec("Sometimes"), "spec", errors);
        Assert.Equal("spec.dnsPolicy", Assert.Single(errors).Field);
    }
}
