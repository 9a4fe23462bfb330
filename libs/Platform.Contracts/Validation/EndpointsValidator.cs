using System.Net;
using System.Net.Sockets;
using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>Kubernetes' ValidateEndpointSlice and ValidateEndpoints, with its wording.</summary>
public static class EndpointsValidator
{
    private static readonly string[] AddressTypes = ["FQDN", "IPv4", "IPv6"];
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];

    public static void ValidateSlice(EndpointSlice slice, FieldErrors errors)
    {
        var type = slice.AddressType;
        if (string.IsNullOrEmpty(type)) errors.Invalid("addressType", "Required value");
        else if (!AddressTypes.Contains(type)) errors.Invalid("addressType", Unsupported(type, AddressTypes));
        var endpoints = slice.Endpoints ?? [];
        if (endpoints.Count > 1000) errors.Invalid("endpoints", $"Too many: {endpoints.Count}: must have at most 1000 items");
        for (var i = 0; i < endpoints.Count; i++)
        {
            var path = $"endpoints[{i}]";
            var e = endpoints[i];
            if (e is null) { errors.Required(path); continue; }
            if (e.Addresses is not { Count: > 0 } addresses) errors.Invalid(path + ".addresses", "Required value");
            else if (addresses.Count > 100) errors.Invalid(path + ".addresses", $"Too many: {addresses.Count}: must have at most 100 items");
            else for (var a = 0; a < addresses.Count; a++) ValidateAddress(type, addresses[a], $"{path}.addresses[{a}]", errors);
            if (e.NodeName is { Length: > 0 } node && !LabelNames.IsDns1123Subdomain(node)) errors.Invalid(path + ".nodeName", $"Invalid value: \"{node}\": a lowercase RFC 1123 subdomain");
            if (e.Hostname is { Length: > 0 } host && !LabelNames.IsDns1123Label(host)) errors.Invalid(path + ".hostname", $"Invalid value: \"{host}\": a lowercase RFC 1123 label");
        }
        var ports = slice.Ports ?? [];
        if (ports.Count > 100) errors.Invalid("ports", $"Too many: {ports.Count}: must have at most 100 items");
        var names = new HashSet<string>();
        for (var i = 0; i < ports.Count; i++)
        {
            var path = $"ports[{i}]";
            var p = ports[i];
            if (p is null) { errors.Required(path); continue; }
            var name = p.Name ?? "";
            if (name.Length > 0 && !LabelNames.IsDns1123Label(name)) errors.Invalid(path + ".name", $"Invalid value: \"{name}\": a lowercase RFC 1123 label");
            else if (!names.Add(name)) errors.Invalid(path + ".name", $"Duplicate value: \"{name}\"");
            ValidatePort(p, path, required: false, errors);
        }
    }

    public static void ValidateEndpoints(Endpoints endpoints, FieldErrors errors)
    {
        var subsets = endpoints.Subsets ?? [];
        for (var i = 0; i < subsets.Count; i++)
        {
            var path = $"subsets[{i}]";
            var s = subsets[i];
            if (s is null) { errors.Required(path); continue; }
            if (s.Addresses is not { Count: > 0 } && s.NotReadyAddresses is not { Count: > 0 })
                errors.Invalid(path, "Required value: must specify `addresses` or `notReadyAddresses`");
            foreach (var (list, field) in new[] { (s.Addresses, "addresses"), (s.NotReadyAddresses, "notReadyAddresses") })
                for (var a = 0; a < (list?.Count ?? 0); a++)
                {
                    if (list![a] is not { } address) { errors.Required($"{path}.{field}[{a}]"); continue; }
                    if (!IPAddress.TryParse(address.Ip, out _)) errors.Invalid($"{path}.{field}[{a}].ip", $"Invalid value: \"{address.Ip}\": must be a valid IP address");
                    if (address.NodeName is { Length: > 0 } node && !LabelNames.IsDns1123Subdomain(node)) errors.Invalid($"{path}.{field}[{a}].nodeName", $"Invalid value: \"{node}\": a lowercase RFC 1123 subdomain");
                }
            var ports = s.Ports ?? [];
            var names = new HashSet<string>();
            for (var p = 0; p < ports.Count; p++)
            {
                if (ports[p] is not { } port) { errors.Required($"{path}.ports[{p}]"); continue; }
                if (ports.Count > 1 && string.IsNullOrEmpty(port.Name)) errors.Invalid($"{path}.ports[{p}].name", "Required value");
                else if (port.Name is { Length: > 0 } n && (!LabelNames.IsDns1123Label(n) || !names.Add(n)))
                    errors.Invalid($"{path}.ports[{p}].name", names.Contains(n) ? $"Duplicate value: \"{n}\"" : $"Invalid value: \"{n}\": a lowercase RFC 1123 label");
                ValidatePort(port, $"{path}.ports[{p}]", required: true, errors);
            }
        }
    }

    private static void ValidatePort(EndpointPort p, string path, bool required, FieldErrors errors)
    {
        if (p.Port is null) { if (required) errors.Invalid(path + ".port", "Required value"); }
        else if (p.Port is < 1 or > 65535) errors.Invalid(path + ".port", $"Invalid value: {p.Port}: must be between 1 and 65535, inclusive");
        var proto = p.Protocol ?? "TCP";
        if (!Protocols.Contains(proto)) errors.Invalid(path + ".protocol", Unsupported(proto, Protocols));
    }

    private static void ValidateAddress(string? type, string? address, string path, FieldErrors errors)
    {
        var family = type switch { "IPv4" => AddressFamily.InterNetwork, "IPv6" => AddressFamily.InterNetworkV6, _ => AddressFamily.Unspecified };
        if (family == AddressFamily.Unspecified)
        {
            if (type == "FQDN" && !LabelNames.IsDns1123Subdomain(address)) errors.Invalid(path, $"Invalid value: \"{address}\": must be a valid FQDN");
            return;
        }
        if (!IPAddress.TryParse(address, out var ip) || ip.AddressFamily != family)
            errors.Invalid(path, $"Invalid value: \"{address}\": must be a valid {type} address");
    }

    private static string Unsupported(string value, string[] supported) =>
        $"Unsupported value: \"{value}\": supported values: {string.Join(", ", supported.Select(s => $"\"{s}\""))}";
}
