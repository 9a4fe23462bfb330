using System.Net;
using Platform.NodeAgent.Network;
using Platform.NodeAgent.Proxy;

namespace Platform.NodeAgent.Tests.Proxy;

/// <summary>
/// The nftables mode's rules as the kernel takes them (root and nft; no traffic): a whole table at first, then refilled
/// in place, where a Service port without backends has no entry, a backend that left loses its chain, and the affinity
/// set of a backend that stays keeps the clients it pinned.
/// </summary>
public sealed class NftablesRulesetTests : IAsyncLifetime
{
    private static readonly IPEndPoint A = IPEndPoint.Parse("10.251.0.2:80"), B = IPEndPoint.Parse("10.251.0.3:80");
    private static readonly IPEndPoint ClusterIp = IPEndPoint.Parse("10.96.77.7:80"), NodePort = new(IPAddress.Any, 30123);
    private readonly string _table = NetworkNames.ServiceTable("nft-test-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly CommandRunner _run = new();

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task FirstApplyDeclaresTheTable_LaterAppliesRefillIt_KeepingAffinityOfBackendsThatStay()
    {
        var proxy = new NftablesProxy(_run, _table);
        await proxy.ResetAsync(CancellationToken.None);
        var affinity = TimeSpan.FromSeconds(90);
        await proxy.ApplyAsync([
            new ProxiedPort("ns/web:", [ClusterIp, NodePort], [A, B], affinity),
            new ProxiedPort("ns/empty:", [IPEndPoint.Parse("10.96.77.8:80")], [], null),
        ], CancellationToken.None);

        var first = await ListAsync();
        Assert.Contains("10.96.77.7 . 80 : goto svc-", first);
        Assert.Contains("30123 : goto svc-", first);
        Assert.DoesNotContain("10.96.77.8", first); // no backends: no entry, the kernel resets the connection
        Assert.Contains("numgen random mod 2", first);
        Assert.Contains("dnat to 10.251.0.2:80", first);
        Assert.Contains("dnat to 10.251.0.3:80", first);
        Assert.Contains("timeout 1m30s", first);
        var affinitySets = AffinitySets(first);
        Assert.Equal(2, affinitySets.Count);

        // A client pinned to A (as the kernel's update would pin it) survives a refill that keeps A and drops B.
        var setOfA = AffinitySetOf(first, "10.251.0.2");
        await _run.RunAsync("nft", ["add", "element", "ip", _table, setOfA, "{ 10.9.9.9 }"]);
        await proxy.ApplyAsync([new ProxiedPort("ns/web:", [ClusterIp, NodePort], [A], affinity)], CancellationToken.None);

        var second = await ListAsync();
        Assert.DoesNotContain("10.251.0.3", second);
        Assert.DoesNotContain("numgen", second);
        Assert.Equal([setOfA], AffinitySets(second));
        Assert.Contains("10.9.9.9", second);
        Assert.Equal(8, second.Split('\n').Count(l => l.TrimStart().StartsWith("chain ", StringComparison.Ordinal))); // six fixed, the Service's, A's

        // Without affinity the sets go; without ports the maps empty out.
        await proxy.ApplyAsync([], CancellationToken.None);
        var third = await ListAsync();
        Assert.Empty(AffinitySets(third));
        Assert.DoesNotContain("goto svc-", third);

        await proxy.DeleteAsync(CancellationToken.None);
        Assert.DoesNotContain(_table, await _run.RunAsync("nft", ["list", "tables"]));
    }

    [Fact]
    public void TheRulesDoNotChangeWhenNothingChanged_SoNoApplyIsSent()
    {
        ProxiedPort[] ports = [new("ns/web:", [ClusterIp], [A, B], null)];
        var once = NftablesRuleset.Build(_table, ports, null, out var declared);
        var refill = NftablesRuleset.Build(_table, ports, declared, out var again);
        Assert.StartsWith($"add table ip {_table}\ndelete table ip {_table}\n", once.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("delete table", refill);
        Assert.DoesNotContain("delete chain", refill); // the same chains, flushed and refilled
        Assert.Equal(declared.Chains.Order(), again.Chains.Order());
    }

    private async Task<string> ListAsync() => await _run.RunAsync("nft", ["list", "table", "ip", _table]);

    private static List<string> AffinitySets(string listing) =>
        [.. listing.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("set aff-", StringComparison.Ordinal)).Select(l => l[4..^2])];

    /// <summary>The affinity set the chain DNATing to <paramref name="backend"/> updates.</summary>
    private static string AffinitySetOf(string listing, string backend)
    {
        var chain = listing.Split("chain ").Single(c => c.Contains($"dnat to {backend}:", StringComparison.Ordinal));
        var update = chain.Split('\n').Single(l => l.Contains("update @", StringComparison.Ordinal));
        return update[(update.IndexOf('@') + 1)..].Split(' ')[0];
    }

    public async Task DisposeAsync() => await _run.TryRunAsync("nft", ["-f", "-"], NftablesRuleset.Delete(_table));
}
