using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

public static class ServiceValidator
{
    public static void Validate(ServiceSpec? spec, FieldErrors errors)
    {
        if (spec is null) { errors.Required("spec"); return; }
        var type = spec.Type ?? "ClusterIP";
        if (type is not ("ClusterIP" or "NodePort" or "LoadBalancer")) errors.Invalid("spec.type", $"'{type}' is not one of ClusterIP, NodePort, LoadBalancer");
        if (spec.SessionAffinity is { } sa && sa is not ("None" or "ClientIP")) errors.Invalid("spec.sessionAffinity", $"'{sa}' is not one of None, ClientIP");
        MetadataValidator.ValidateLabels(spec.Selector, "spec.selector", errors);
        if (spec.Ports is null || spec.Ports.Count == 0) errors.Required("spec.ports");
        var names = new HashSet<string>();
        var ports = new HashSet<(int, string)>();
        for (var i = 0; i < (spec.Ports?.Count ?? 0); i++)
        {
            var p = spec.Ports![i];
            var path = $"spec.ports[{i}]";
            if (p is null) { errors.Required(path); continue; }
            if (p.Port is < 1 or > 65535) errors.Invalid(path + ".port", "must be between 1 and 65535");
            var proto = p.Protocol ?? "TCP";
            if (proto is not ("TCP" or "UDP" or "SCTP")) errors.Invalid(path + ".protocol", $"'{proto}' is not one of TCP, UDP, SCTP");
            else if (!ports.Add((p.Port, proto))) errors.Invalid(path + ".port", $"duplicate port {p.Port}/{proto}");
            if (spec.Ports.Count > 1 && string.IsNullOrEmpty(p.Name)) errors.Required(path + ".name");
            if (p.Name is { Length: > 0 } n)
            {
                if (!LabelNames.IsDns1123Label(n)) errors.Invalid(path + ".name", "must be a DNS-1123 label");
                else if (!names.Add(n)) errors.Invalid(path + ".name", $"duplicate port name '{n}'");
            }
            if (p.TargetPort is { IntValue: { } tp } && tp is < 1 or > 65535) errors.Invalid(path + ".targetPort", "must be between 1 and 65535");
            if (p.TargetPort is { StringValue: { } tn } && !LabelNames.IsDns1123Label(tn)) errors.Invalid(path + ".targetPort", "must be a port number or a container port name");
            if (p.NodePort is { } np)
            {
                if (type == "ClusterIP") errors.Invalid(path + ".nodePort", "may not be set when type is ClusterIP");
                else if (np is < 30000 or > 32767) errors.Invalid(path + ".nodePort", "must be in the range 30000-32767");
            }
        }
    }
}
