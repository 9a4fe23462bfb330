using System.Text.RegularExpressions;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.NodeAgent.Tests.Network;

/// <summary>
/// Two nodes on one machine, each agent with its own bridge and podCIDR: their pods reach each other across the bridges,
/// and what a pod sends off the machine (this host's upstream, 192.0.2.1 here, or any address outside) is dropped by
/// the platform's nft forward chain.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class BridgeToBridgeTests(ClusterFixture cluster) : IAsyncLifetime
{
    private NodeScope _a = null!;
    private NodeScope _b = null!;

    public async Task InitializeAsync()
    {
        _a = await NodeScope.CreateAsync(cluster);
        _b = await NodeScope.CreateAsync(cluster);
    }

    /// <summary><paramref name="forwardPolicyDrop"/>: iptables' FORWARD policy DROP for the test, as Docker with iptables leaves it.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PodsOfTwoNodes_ReachEachOtherAcrossBridges_AndNothingLeavesTheMachine(bool forwardPolicyDrop)
    {
        if (forwardPolicyDrop)
        {
            _filterTableExisted = await RunAsync("nft", "list table ip filter", mustSucceed: false);
            await RunAsync("iptables", "-P FORWARD DROP");
            _restorePolicy = true;
        }
        foreach (var scope in new[] { _a, _b })
        {
            var cidr = NodeAgentHost.NextPodCidr();
            await scope.StartAgentAsync(s =>
            {
                s["NodeAgent:PodNetwork:Enabled"] = "true";
                s["NodeAgent:PodNetwork:PodCidr"] = cidr;
            });
            await scope.Admin.CreateAsync($"/api/v1/namespaces/{scope.Namespace}/pods", PodNetworkTests.Httpd80("web", scope.Node));
        }
        var a = await _a.WaitPodAsync("web", p => p.IsReady(), "pod on node a Ready");
        var b = await _b.WaitPodAsync("web", p => p.IsReady(), "pod on node b Ready");
        Assert.NotEqual(a.Status!.PodIP![..a.Status.PodIP!.LastIndexOf('.')], b.Status!.PodIP![..b.Status.PodIP!.LastIndexOf('.')]);

        Assert.Equal("platform busybox\n", await PodNetworkTests.ExecAsync(cluster, a, ["wget", "-qO-", $"http://{b.Status.PodIP}/index.html"]));
        Assert.Equal("platform busybox\n", await PodNetworkTests.ExecAsync(cluster, b, ["wget", "-qO-", $"http://{a.Status.PodIP}/index.html"]));

        var before = await DroppedAsync();
        var tried = new List<string>();
        foreach (var outside in new[] { "192.0.2.1", "198.51.100.7" })
        {
            var (code, _, stderr) = await PodNetworkTests.TryExecAsync(cluster, a, ["nc", "-w", "2", outside, "80"]);
            Assert.True(code != 0, $"nc {outside} 80 from the pod connected");
            tried.Add($"{outside}: exit {code} {stderr.Trim()}");
        }
        var after = await DroppedAsync();
        Assert.True(after > before, $"the platform_podnet forward chain dropped nothing the pod sent off the machine ({before} -> {after}; {string.Join("; ", tried)})");
    }

    /// <summary>Packets the chain dropped coming from a platform bridge (its first counter on a drop rule).</summary>
    private static async Task<long> DroppedAsync()
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("nft", "list chain inet platform_podnet forward") { RedirectStandardOutput = true })!;
        var text = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        var m = DropCounter().Match(text);
        Assert.True(m.Success, $"no drop counter in the chain:\n{text}");
        return long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("""iifname "plbr-\*" counter packets (\d+) bytes \d+ drop""")]
    private static partial Regex DropCounter();

    private bool _restorePolicy;
    private bool _filterTableExisted = true;

    private static async Task<bool> RunAsync(string file, string args, bool mustSucceed = true)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(!mustSucceed || p.ExitCode == 0, $"{file} {args} exited {p.ExitCode}");
        return p.ExitCode == 0;
    }

    public async Task DisposeAsync()
    {
        if (_restorePolicy) await RunAsync("iptables", "-P FORWARD ACCEPT");
        if (!_filterTableExisted) await RunAsync("nft", "delete table ip filter", mustSucceed: false); // what setting the policy created
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }
}
