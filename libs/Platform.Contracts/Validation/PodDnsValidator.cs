using System.Net;
using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>
/// A pod's DNS settings: <c>dnsPolicy</c>, <c>dnsConfig</c>, <c>hostname</c>, <c>subdomain</c> and <c>hostAliases</c>, with
/// Kubernetes' limits.
/// </summary>
public static class PodDnsValidator
{
    public const int MaxNameservers = 3;
    public const int MaxSearches = 32;
    public const int MaxSearchListChars = 2048;
    private static readonly string[] Policies = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"];

    public static void Validate(PodSpec spec, string path, FieldErrors errors)
    {
        if (spec.DnsPolicy is { } policy && !Policies.Contains(policy))
            errors.Invalid(path + ".dnsPolicy", $"'{policy}' is not one of {string.Join(", ", Policies)}");
        if (spec.Hostname is { Length: > 0 } host && !LabelNames.IsDns1123Label(host))
            errors.Invalid(path + ".hostname", $"'{host}' must be a DNS-1123 label (lower case alphanumerics and '-', at most 63 characters)");
        if (spec.Subdomain is { Length: > 0 } sub && !LabelNames.IsDns1123Label(sub))
            errors.Invalid(path + ".subdomain", $"'{sub}' must be a DNS-1123 label (lower case alphanumerics and '-', at most 63 characters)");
        ValidateHostAliases(spec.HostAliases, path + ".hostAliases", errors);
        var config = spec.DnsConfig;
        var cp = path + ".dnsConfig";
        if (spec.DnsPolicy == "None" && (config?.Nameservers is null || config.Nameservers.Count == 0))
            errors.Required(cp + ".nameservers");
        if (config is null) return;
        var nameservers = config.Nameservers ?? [];
        if (nameservers.Count > MaxNameservers)
            errors.Invalid(cp + ".nameservers", $"must not have more than {MaxNameservers} nameservers: {nameservers.Count}");
        for (var i = 0; i < nameservers.Count; i++)
            if (!IPAddress.TryParse(nameservers[i] ?? "", out _))
                errors.Invalid($"{cp}.nameservers[{i}]", $"'{nameservers[i]}' must be a valid IP address");
        var searches = config.Searches ?? [];
        if (searches.Count > MaxSearches)
            errors.Invalid(cp + ".searches", $"must not have more than {MaxSearches} search paths");
        if (searches.Sum(s => (s?.Length ?? 0) + 1) > MaxSearchListChars)
            errors.Invalid(cp + ".searches", $"must not have more than {MaxSearchListChars} characters (including spaces) in the search list");
        for (var i = 0; i < Math.Min(searches.Count, MaxSearches); i++)
            if (!LabelNames.IsDns1123Subdomain((searches[i] ?? "").TrimEnd('.')))
                errors.Invalid($"{cp}.searches[{i}]", $"'{searches[i]}' must be a DNS-1123 subdomain");
        for (var i = 0; i < (config.Options?.Count ?? 0); i++)
            if (string.IsNullOrEmpty(config.Options![i]?.Name))
                errors.Required($"{cp}.options[{i}].name");
    }

    /// <summary>Kubernetes' ValidateHostAliases: an IP address and RFC 1123 subdomains as host names.</summary>
    private static void ValidateHostAliases(List<HostAlias>? aliases, string path, FieldErrors errors)
    {
        for (var i = 0; i < (aliases?.Count ?? 0); i++)
        {
            var alias = aliases![i];
            if (alias is null) { errors.Required($"{path}[{i}]"); continue; }
            if (string.IsNullOrEmpty(alias.Ip)) errors.Required($"{path}[{i}].ip");
            else if (!IPAddress.TryParse(alias.Ip, out var ip) || ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && ip.ToString() != alias.Ip)
                errors.Invalid($"{path}[{i}].ip", $"'{alias.Ip}' must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
            for (var j = 0; j < (alias.Hostnames?.Count ?? 0); j++)
                if (!LabelNames.IsDns1123Subdomain(alias.Hostnames![j] ?? ""))
                    errors.Invalid($"{path}[{i}].hostnames[{j}]", $"'{alias.Hostnames[j]}' must be a lowercase RFC 1123 subdomain");
        }
    }
}
