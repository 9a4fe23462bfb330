using Platform.NodeAgent.Network;

namespace Platform.NodeAgent.Proxy;

/// <summary>
/// Applies <see cref="NftablesRuleset"/> to the node's table (<c>ip platform_svc_</c> and a hash of the node name) with
/// <c>nft -f</c>: replaced whole at start, refilled in place afterwards, and only when the rules change.
/// </summary>
internal sealed class NftablesProxy(CommandRunner run, string table)
{
    private NftablesRuleset.Names? _declared;
    private string? _applied;

    public string Table => table;

    /// <summary>Removes what a previous run left; the next apply declares the table anew.</summary>
    public async Task ResetAsync(CancellationToken ct)
    {
        await run.RunAsync("nft", ["-f", "-"], NftablesRuleset.Delete(table), ct);
        _declared = null;
        _applied = null;
    }

    public async Task ApplyAsync(IReadOnlyList<ProxiedPort> ports, CancellationToken ct)
    {
        // 127.0.0.1:nodePort is DNATed to a pod: the kernel routes a loopback source out of a platform bridge only with
        // route_localnet on it (the pod network's prerouting guard drops 127.0.0.0/8 arriving from the bridges).
        // (/proc/sys/net lists the interfaces of the agent's own network namespace, also when it entered one with nsenter.)
        foreach (var bridge in Directory.EnumerateDirectories("/proc/sys/net/ipv4/conf", NetworkNames.BridgePrefix + "*"))
        {
            var flag = Path.Combine(bridge, "route_localnet");
            if (File.Exists(flag) && (await File.ReadAllTextAsync(flag, ct)).Trim() != "1") await File.WriteAllTextAsync(flag, "1", ct);
        }
        // The ports as the rules see them: nothing is built or sent while they stay the same.
        var rules = string.Join('\n', ports.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
            $"{p.Key}|{string.Join(',', p.Frontends)}|{string.Join(',', p.Backends)}|{p.Affinity?.TotalSeconds}"));
        if (_declared is not null && rules == _applied) return;
        var script = NftablesRuleset.Build(table, ports, _declared, out var declared);
        try
        {
            await run.RunAsync("nft", ["-f", "-"], script, ct);
        }
        catch (PodNetworkException)
        {
            // What is in the kernel is no longer known: the next apply replaces the table whole.
            _declared = null;
            _applied = null;
            throw;
        }
        _declared = declared;
        _applied = rules;
    }

    public async Task DeleteAsync(CancellationToken ct)
    {
        await run.TryRunAsync("nft", ["-f", "-"], NftablesRuleset.Delete(table), ct);
        _declared = null;
        _applied = null;
    }
}
