using System.Text;
using Platform.Contracts.Resources;

namespace Platform.ClusterDns;

/// <summary>A pod's <c>/etc/resolv.conf</c>, built as kubelet builds it from <c>dnsPolicy</c> and <c>dnsConfig</c>.</summary>
public sealed record PodResolvConf(IReadOnlyList<string> Nameservers, IReadOnlyList<string> Searches, IReadOnlyList<string> Options)
{
    /// <summary>The parts of the node's own resolv.conf (nameservers, search domains, options).</summary>
    public static PodResolvConf Parse(string text)
    {
        List<string> nameservers = [], searches = [], options = [];
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split('#', ';')[0].Trim();
            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2) continue;
            switch (parts[0])
            {
                case "nameserver": nameservers.Add(parts[1]); break;
                case "search" or "domain": searches.Clear(); searches.AddRange(parts[1..]); break;
                case "options": options.AddRange(parts[1..]); break;
            }
        }
        return new(nameservers, searches, options);
    }

    /// <summary>
    /// The file for one pod. <paramref name="clusterDns"/> is the cluster DNS address pods of this node use;
    /// <paramref name="node"/> the node's own configuration (<c>dnsPolicy: Default</c>, and search domains appended
    /// after the cluster's as kubelet does).
    /// </summary>
    public static PodResolvConf For(PodSpec spec, string ns, string clusterDns, PodResolvConf node, ClusterDnsOptions options)
    {
        var policy = spec.DnsPolicy ?? "ClusterFirst";
        if (policy == "ClusterFirst" && spec.HostNetwork == true)
            policy = "Default";
        var zone = options.ClusterDomain.TrimEnd('.');
        var conf = policy switch
        {
            "None" => new PodResolvConf([], [], []),
            "Default" => node,
            _ => new PodResolvConf([clusterDns], [$"{ns}.svc.{zone}", $"svc.{zone}", zone, .. node.Searches], [$"ndots:{options.Ndots}"]),
        };
        return conf.With(spec.DnsConfig);
    }

    private PodResolvConf With(PodDnsConfig? config)
    {
        if (config is null) return this.Limited();
        var nameservers = Nameservers.Concat(config.Nameservers ?? []).Distinct().ToList();
        var searches = Searches.Concat(config.Searches ?? []).Select(s => s.TrimEnd('.')).Distinct().ToList();
        var merged = Options.ToDictionary(o => o.Split(':')[0], o => o);
        foreach (var option in config.Options ?? [])
            if (option?.Name is { Length: > 0 } name)
                merged[name] = option.Value is { Length: > 0 } v ? $"{name}:{v}" : name;
        return new PodResolvConf(nameservers, searches, merged.Values.ToList()).Limited();
    }

    private PodResolvConf Limited() => this with
    {
        Nameservers = Nameservers.Take(3).ToList(),
        Searches = Searches.Take(32).ToList(),
    };

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var ns in Nameservers) text.Append("nameserver ").Append(ns).Append('\n');
        if (Searches.Count > 0) text.Append("search ").AppendJoin(' ', Searches).Append('\n');
        if (Options.Count > 0) text.Append("options ").AppendJoin(' ', Options).Append('\n');
        return text.ToString();
    }
}
