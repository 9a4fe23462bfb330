using Platform.NodeAgent.Network;

namespace Platform.NodeAgent.Tests.Network;

public sealed class IpamStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ipam-").FullName;

    [Fact]
    public void Allocate_SkipsNetworkGatewayAndBroadcast_ReusesAPodsLease_AndRunsOutWithAClearError()
    {
        var store = new IpamStore(_dir);
        var cidr = PodCidr.Parse("10.9.0.0/29"); // .0 network, .1 gateway, .7 broadcast: .2 to .6 for pods
        Assert.Equal("10.9.0.1", cidr.Gateway.ToString());
        var ips = Enumerable.Range(0, 5).Select(i => store.Allocate(cidr, $"pod-{i}")).ToList();
        Assert.Equal(["10.9.0.2", "10.9.0.3", "10.9.0.4", "10.9.0.5", "10.9.0.6"], ips);
        Assert.Equal("10.9.0.4", store.Allocate(cidr, "pod-2"));
        var full = Assert.Throws<PodNetworkException>(() => store.Allocate(cidr, "pod-5"));
        Assert.Contains("no free pod IP left in 10.9.0.0/29", full.Message);

        store.Release("pod-1");
        Assert.Equal("10.9.0.3", store.Allocate(cidr, "pod-5"));
        // Leases are files: a new store (an agent restart) sees the same ones.
        Assert.Equal("pod-5", File.ReadAllText(Path.Combine(_dir, "10.9.0.3")));
        Assert.Equal(5, new IpamStore(_dir).Leases().Count);
    }

    [Theory]
    [InlineData("10.9.0.0/31")]
    [InlineData("fd00::/64")]
    public void PodCidr_RefusesRangesWithoutRoomForPods(string cidr) =>
        Assert.Throws<PodNetworkException>(() => PodCidr.Parse(cidr));

    [Fact]
    public void Names_FitLinuxInterfaceNames_AndDifferPerNodeAndPod()
    {
        Assert.StartsWith("plbr-", NetworkNames.Bridge("node-a"));
        Assert.True(NetworkNames.Bridge("a-very-long-node-name.example.internal").Length <= 15);
        Assert.NotEqual(NetworkNames.Bridge("node-a"), NetworkNames.Bridge("node-b"));
        Assert.True(NetworkNames.HostVeth(Guid.NewGuid().ToString()).Length <= 15);
        Assert.NotEqual(NetworkNames.HostVeth("uid-1"), NetworkNames.HostVeth("uid-2"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
