using Platform.NodeAgent.Network;

namespace Platform.NodeAgent.Proxy;

/// <summary>
/// The ClusterIPs this node proxies, each a /32 on a dummy interface of the node (<c>plsvc-</c> and a hash of its
/// name) so they are local addresses the proxy can listen on; pods reach them through their default route. Where the
/// kernel has no dummy interfaces, the same name is a bridge without ports.
/// </summary>
internal sealed class ServiceAddresses(CommandRunner run, string link)
{
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);

    public string Link => link;

    /// <summary>A fresh, empty, up interface (what a previous run left is removed first).</summary>
    public async Task ResetAsync(CancellationToken ct)
    {
        await DeleteAsync(ct);
        var dummy = await run.TryRunAsync("ip", ["link", "add", link, "type", "dummy"], ct: ct);
        // A kernel without the dummy module (a minimal VM): a bridge with no ports holds local addresses the same way.
        if (dummy.Code != 0) await run.RunAsync("ip", ["link", "add", link, "type", "bridge"], ct: ct);
        await run.RunAsync("ip", ["link", "set", link, "up"], ct: ct);
    }

    /// <summary>Adds the addresses of <paramref name="wanted"/> not held yet; returns the failures (address, error), which are retried on the next call.</summary>
    public async Task<Dictionary<string, string>> AddAsync(IEnumerable<string> wanted, CancellationToken ct)
    {
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var ip in wanted.Where(ip => !_held.Contains(ip)).ToList())
        {
            var r = await run.TryRunAsync("ip", ["addr", "add", $"{ip}/32", "dev", link], ct: ct);
            if (r.Code != 0 && !r.Stderr.Contains("File exists", StringComparison.Ordinal)) failed[ip] = r.Stderr.Trim();
            else _held.Add(ip);
        }
        return failed;
    }

    /// <summary>Removes the addresses held that <paramref name="wanted"/> no longer has.</summary>
    public async Task RemoveOthersAsync(IReadOnlySet<string> wanted, CancellationToken ct)
    {
        foreach (var ip in _held.Where(ip => !wanted.Contains(ip)).ToList())
        {
            await run.TryRunAsync("ip", ["addr", "del", $"{ip}/32", "dev", link], ct: ct);
            _held.Remove(ip);
        }
    }

    public async Task DeleteAsync(CancellationToken ct)
    {
        _held.Clear();
        await run.TryRunAsync("ip", ["link", "del", link], ct: ct);
    }
}
