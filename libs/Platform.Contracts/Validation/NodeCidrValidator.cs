using System.Net;
using System.Net.Sockets;
using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary><c>spec.podCIDR</c> / <c>spec.podCIDRs</c> of a Node, as Kubernetes' ValidateNode and ValidateNodeUpdate check them.</summary>
public static class NodeCidrValidator
{
    public static void Validate(NodeSpec? spec, FieldErrors errors)
    {
        if (spec is null) return;
        if (spec.PodCIDR is { Length: > 0 } single && !IsCidr(single))
            errors.Invalid("spec.podCIDR", $"'{single}': must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
        var cidrs = spec.PodCIDRs ?? [];
        for (var i = 0; i < cidrs.Count; i++)
            if (!IsCidr(cidrs[i])) errors.Invalid($"spec.podCIDRs[{i}]", $"'{cidrs[i]}': must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
        if (cidrs.Count > 2) errors.Invalid("spec.podCIDRs", "Too many: may contain at most 2 items, one per IP family");
        if (cidrs.Count == 2 && cidrs.All(IsCidr) && Family(cidrs[0]) == Family(cidrs[1]))
            errors.Invalid("spec.podCIDRs", "may specify no more than one CIDR for each IP family");
        if (cidrs.Count > 0 && spec.PodCIDR is { Length: > 0 } first && first != cidrs[0])
            errors.Invalid("spec.podCIDR", "must equal spec.podCIDRs[0]");
    }

    public static void ValidateUpdate(NodeSpec? spec, NodeSpec old, FieldErrors errors)
    {
        var oldCidrs = old.PodCIDRs ?? (old.PodCIDR is { Length: > 0 } o ? [o] : []);
        if (oldCidrs.Count == 0) return;
        var newCidrs = spec?.PodCIDRs ?? (spec?.PodCIDR is { Length: > 0 } n ? [n] : []);
        if (!newCidrs.SequenceEqual(oldCidrs, StringComparer.Ordinal) || (spec?.PodCIDR is { Length: > 0 } p && p != oldCidrs[0]))
            errors.Add(new FieldError("spec.podCIDRs", "Forbidden: node updates may not change podCIDR except from \"\" to valid", "FieldValueForbidden"));
    }

    /// <summary>A network address and prefix length, <c>10.244.1.0/24</c>: the host bits must be zero, as Go's ParseCIDR yields it.</summary>
    public static bool IsCidr(string value)
    {
        if (!IPNetwork.TryParse(value, out var net)) return false;
        return net.BaseAddress.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6;
    }

    private static AddressFamily Family(string cidr) => IPNetwork.Parse(cidr).BaseAddress.AddressFamily;
}
