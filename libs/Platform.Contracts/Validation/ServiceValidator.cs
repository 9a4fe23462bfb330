using System.Net;
using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>
/// Kubernetes' ValidateService and ValidateServiceUpdate (pkg/apis/core/validation), with its wording. The node port
/// range is the apiserver's setting, so it is checked where ports are allocated, not here.
/// </summary>
public static class ServiceValidator
{
    private static readonly string[] Types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];

    public static void Validate(ServiceSpec? spec, FieldErrors errors)
    {
        if (spec is null) { errors.Required("spec"); return; }
        var type = spec.Type ?? "ClusterIP";
        if (!Types.Contains(type)) errors.Invalid("spec.type", Unsupported(type, Types));
        var headless = spec.ClusterIP == "None";
        ValidateClusterIPs(spec, type, errors);
        if (type == "ExternalName")
        {
            var name = spec.ExternalName?.TrimEnd('.');
            if (string.IsNullOrEmpty(spec.ExternalName)) errors.Invalid("spec.externalName", "Required value");
            else if (!LabelNames.IsDns1123Subdomain(name))
                errors.Invalid("spec.externalName", $"Invalid value: \"{spec.ExternalName}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        }
        ValidateAffinity(spec, errors);
        if (spec.ExternalTrafficPolicy is { } etp)
        {
            if (etp is not ("Cluster" or "Local")) errors.Invalid("spec.externalTrafficPolicy", Unsupported(etp, ["Cluster", "Local"]));
            else if (type is not ("NodePort" or "LoadBalancer")) errors.Invalid("spec.externalTrafficPolicy", $"Invalid value: \"{etp}\": may only be set when `type` is 'NodePort' or 'LoadBalancer'");
        }
        if (spec.InternalTrafficPolicy is { } itp && itp is not ("Cluster" or "Local")) errors.Invalid("spec.internalTrafficPolicy", Unsupported(itp, ["Cluster", "Local"]));
        if (spec.IpFamilyPolicy is { } policy && policy is not ("SingleStack" or "PreferDualStack" or "RequireDualStack"))
            errors.Invalid("spec.ipFamilyPolicy", Unsupported(policy, ["PreferDualStack", "RequireDualStack", "SingleStack"]));
        for (var i = 0; i < (spec.IpFamilies?.Count ?? 0); i++)
            if (spec.IpFamilies![i] is not ("IPv4" or "IPv6")) errors.Invalid($"spec.ipFamilies[{i}]", Unsupported(spec.IpFamilies[i], ["IPv4", "IPv6"]));
        if (spec.LoadBalancerIP is { Length: > 0 } lbIp)
        {
            if (type != "LoadBalancer") errors.Invalid("spec.loadBalancerIP", "Forbidden: may only be used when `type` is 'LoadBalancer'");
            else if (!IPAddress.TryParse(lbIp, out _)) errors.Invalid("spec.loadBalancerIP", $"Invalid value: \"{lbIp}\": must be a valid IP address");
        }
        MetadataValidator.ValidateLabels(spec.Selector, "spec.selector", errors);
        if ((spec.Ports is null || spec.Ports.Count == 0) && !headless && type != "ExternalName") errors.Invalid("spec.ports", "Required value");
        ValidatePorts(spec, type, errors);
    }

    private static void ValidatePorts(ServiceSpec spec, string type, FieldErrors errors)
    {
        var names = new HashSet<string>();
        var ports = new HashSet<(int, string)>();
        var nodePorts = new HashSet<(int, string)>();
        for (var i = 0; i < (spec.Ports?.Count ?? 0); i++)
        {
            var p = spec.Ports![i];
            var path = $"spec.ports[{i}]";
            if (p is null) { errors.Required(path); continue; }
            if (p.Port is < 1 or > 65535) errors.Invalid(path + ".port", $"Invalid value: {p.Port}: must be between 1 and 65535, inclusive");
            var proto = p.Protocol ?? "TCP";
            if (!Protocols.Contains(proto)) errors.Invalid(path + ".protocol", Unsupported(proto, Protocols));
            else if (!ports.Add((p.Port, proto))) errors.Invalid(path, $"Duplicate value: {{\"port\":{p.Port},\"protocol\":\"{proto}\"}}");
            if (spec.Ports.Count > 1 && string.IsNullOrEmpty(p.Name)) errors.Invalid(path + ".name", "Required value");
            if (p.Name is { Length: > 0 } n)
            {
                if (!LabelNames.IsDns1123Label(n)) errors.Invalid(path + ".name", $"Invalid value: \"{n}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
                else if (!names.Add(n)) errors.Invalid(path + ".name", $"Duplicate value: \"{n}\"");
            }
            if (p.TargetPort is { IntValue: { } tp } && tp is < 1 or > 65535) errors.Invalid(path + ".targetPort", $"Invalid value: {tp}: must be between 1 and 65535, inclusive");
            if (p.TargetPort is { StringValue: { } tn } && !(tn.Length <= 15 && LabelNames.IsDns1123Label(tn) && tn.Any(char.IsLetter)))
                errors.Invalid(path + ".targetPort", $"Invalid value: \"{tn}\": must be a port number or an IANA_SVC_NAME (at most 15 characters, lower case alphanumerics and '-', at least one letter)");
            if (p.NodePort is { } np and not 0)
            {
                if (type is not ("NodePort" or "LoadBalancer")) errors.Invalid(path + ".nodePort", $"Forbidden: may not be used when `type` is '{type}'");
                else if (np is < 1 or > 65535) errors.Invalid(path + ".nodePort", $"Invalid value: {np}: must be between 1 and 65535, inclusive");
                else if (!nodePorts.Add((np, proto))) errors.Invalid(path + ".nodePort", $"Duplicate value: {np}");
            }
        }
    }

    private static void ValidateClusterIPs(ServiceSpec spec, string type, FieldErrors errors)
    {
        if (spec.ClusterIPs is { Count: > 0 } ips && !string.IsNullOrEmpty(spec.ClusterIP) && ips[0] != spec.ClusterIP)
            errors.Invalid("spec.clusterIPs", $"Invalid value: {GoStrings(ips)}: element [0] must match clusterIP");
        var all = spec.ClusterIPs is { Count: > 0 } list ? list : string.IsNullOrEmpty(spec.ClusterIP) ? [] : [spec.ClusterIP];
        if (type == "ExternalName")
        {
            if (all.Count > 0) errors.Invalid("spec.clusterIPs", "Forbidden: may not be set for ExternalName services");
            return;
        }
        if (all.Count > 2) errors.Invalid("spec.clusterIPs", "Invalid value: must be at most 2 entries, one per IP family");
        for (var i = 0; i < all.Count; i++)
        {
            var ip = all[i];
            var path = $"spec.clusterIPs[{i}]";
            if (ip == "None")
            {
                if (i > 0 || all.Count > 1) errors.Invalid(path, "Invalid value: \"None\": must be the only entry when set to 'None'");
                else if (type is "NodePort" or "LoadBalancer") errors.Invalid(path, $"Invalid value: \"None\": may not be set to 'None' for {type} services");
                continue;
            }
            if (!IPAddress.TryParse(ip, out var addr) || addr.ToString() != ip) errors.Invalid(path, $"Invalid value: \"{ip}\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
            else if (i == 1 && IPAddress.TryParse(all[0], out var first) && first.AddressFamily == addr.AddressFamily)
                errors.Invalid(path, $"Invalid value: {GoStrings(all)}: may specify no more than one IP for each IP family");
        }
    }

    private static void ValidateAffinity(ServiceSpec spec, FieldErrors errors)
    {
        var affinity = spec.SessionAffinity ?? "None";
        if (affinity is not ("None" or "ClientIP")) { errors.Invalid("spec.sessionAffinity", Unsupported(affinity, ["ClientIP", "None"])); return; }
        if (affinity == "None")
        {
            if (spec.SessionAffinityConfig is not null) errors.Invalid("spec.sessionAffinityConfig", "Forbidden: must not be set when session affinity is None");
            return;
        }
        if (spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds is not { } timeout)
            errors.Invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds", "Required value");
        else if (timeout is < 1 or > 86400)
            errors.Invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds", $"Invalid value: {timeout}: must be greater than 0 and less than 86400");
    }

    /// <summary>What may not change on update: the cluster IPs once allocated (unless the type becomes or stops being ExternalName).</summary>
    public static void ValidateUpdate(ServiceSpec? spec, ServiceSpec old, FieldErrors errors)
    {
        if (spec is null) return;
        var toOrFromExternalName = (spec.Type == "ExternalName") != (old.Type == "ExternalName");
        if (toOrFromExternalName || string.IsNullOrEmpty(old.ClusterIP)) return;
        var oldIps = old.ClusterIPs is { Count: > 0 } o ? o : [old.ClusterIP];
        var newIps = spec.ClusterIPs is { Count: > 0 } n ? n : string.IsNullOrEmpty(spec.ClusterIP) ? [] : [spec.ClusterIP];
        if (newIps.Count == 0 || newIps[0] != oldIps[0])
            errors.Invalid("spec.clusterIPs[0]", $"Invalid value: {GoStrings(newIps)}: may not change once set");
    }

    /// <summary>A string list as Go's %#v prints it (<c>[]string{"10.96.0.10"}</c>), which Kubernetes' messages show.</summary>
    public static string GoStrings(IEnumerable<string> values) => "[]string{" + string.Join(", ", values.Select(v => $"\"{v}\"")) + "}";

    private static string Unsupported(string value, string[] supported) =>
        $"Unsupported value: \"{value}\": supported values: {string.Join(", ", supported.Select(s => $"\"{s}\""))}";
}
