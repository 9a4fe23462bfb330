using System.Text.RegularExpressions;
using Platform.Contracts.Resources;
using Platform.Contracts.Resources.GatewayApi;

namespace Platform.Contracts.Validation;

/// <summary>
/// GatewayClass, Gateway, HTTPRoute and ReferenceGrant as Gateway API's CRD schemas and CEL rules check them, in the
/// words Kubernetes' schema validation uses (<c>Unsupported value</c>, <c>should be less than or equal to</c>) and the
/// CEL rules' own messages.
/// </summary>
public static partial class GatewayApiValidator
{
    private static readonly string[] FromValues = ["All", "Same", "Selector"];
    private static readonly string[] Protocols = ["HTTP", "HTTPS", "TLS", "TCP", "UDP"];

    public static void ValidateClass(GatewayClass gc, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(gc.Spec.ControllerName)) errors.Invalid("spec.controllerName", "Required value");
        else if (!ControllerName().IsMatch(gc.Spec.ControllerName))
            errors.Invalid("spec.controllerName", $"Invalid value: \"{gc.Spec.ControllerName}\": spec.controllerName in body should match '{ControllerName()}'");
    }

    public static void ValidateGateway(Gateway gw, FieldErrors errors)
    {
        var spec = gw.Spec;
        if (string.IsNullOrEmpty(spec.GatewayClassName)) errors.Invalid("spec.gatewayClassName", "Required value");
        if (spec.Listeners is not { Count: > 0 } listeners) { errors.Invalid("spec.listeners", "Required value"); return; }
        if (listeners.Count > 64) errors.Invalid("spec.listeners", $"Too many: {listeners.Count}: must have at most 64 items");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < listeners.Count; i++)
        {
            var l = listeners[i];
            var path = $"spec.listeners[{i}]";
            if (l is null) { errors.Invalid(path, "Required value"); continue; }
            if (string.IsNullOrEmpty(l.Name)) errors.Invalid(path + ".name", "Required value");
            else if (!LabelNames.IsDns1123Label(l.Name)) errors.Invalid(path + ".name", $"Invalid value: \"{l.Name}\": {path}.name in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'");
            else if (!names.Add(l.Name)) errors.Invalid("spec.listeners", "Invalid value: \"array\": Listener name must be unique within the Gateway");
            if (l.Port is not { } port) errors.Invalid(path + ".port", "Required value");
            else InRange(port, 1, 65535, path + ".port", errors);
            if (string.IsNullOrEmpty(l.Protocol)) errors.Invalid(path + ".protocol", "Required value");
            else if (!Protocols.Contains(l.Protocol) && !l.Protocol.Contains('/'))
                errors.Invalid(path + ".protocol", $"Invalid value: \"{l.Protocol}\": {path}.protocol in body should match '^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9]+$'");
            if (l.Protocol is "HTTP" or "TCP" or "UDP" && l.Tls is not null)
                errors.Invalid(path, "Invalid value: \"object\": tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']");
            if (l.Protocol is "HTTPS" && l.Tls is null)
                errors.Invalid(path, "Invalid value: \"object\": tls mode must be set for protocols ['HTTPS', 'TLS']");
            if (l.Hostname is { } host) CheckHostname(host, path + ".hostname", errors);
            if (l.AllowedRoutes?.Namespaces is { } ns)
            {
                if (ns.From is { } from && !FromValues.Contains(from)) errors.Invalid(path + ".allowedRoutes.namespaces.from", Unsupported(from, FromValues));
                if (ns.From == "Selector" && ns.Selector is null)
                    errors.Invalid(path + ".allowedRoutes.namespaces.selector", "Required value: selector must be specified when from is Selector");
            }
            for (var k = 0; k < (l.AllowedRoutes?.Kinds?.Count ?? 0); k++)
                if (string.IsNullOrEmpty(l.AllowedRoutes!.Kinds![k]?.Kind)) errors.Invalid($"{path}.allowedRoutes.kinds[{k}].kind", "Required value");
        }
    }

    public static void ValidateReferenceGrant(ReferenceGrant grant, FieldErrors errors)
    {
        var spec = grant.Spec;
        if (spec.From is not { Count: > 0 } from) errors.Invalid("spec.from", "Required value");
        else
        {
            if (from.Count > 16) errors.Invalid("spec.from", $"Too many: {from.Count}: must have at most 16 items");
            for (var i = 0; i < from.Count; i++)
            {
                if (from[i]?.Group is null) errors.Invalid($"spec.from[{i}].group", "Required value");
                if (string.IsNullOrEmpty(from[i]?.Kind)) errors.Invalid($"spec.from[{i}].kind", "Required value");
                if (string.IsNullOrEmpty(from[i]?.Namespace)) errors.Invalid($"spec.from[{i}].namespace", "Required value");
            }
        }
        if (spec.To is not { Count: > 0 } to) errors.Invalid("spec.to", "Required value");
        else
        {
            if (to.Count > 16) errors.Invalid("spec.to", $"Too many: {to.Count}: must have at most 16 items");
            for (var i = 0; i < to.Count; i++)
            {
                if (to[i]?.Group is null) errors.Invalid($"spec.to[{i}].group", "Required value");
                if (string.IsNullOrEmpty(to[i]?.Kind)) errors.Invalid($"spec.to[{i}].kind", "Required value");
            }
        }
    }

    /// <summary>A GatewayClass's controller cannot change (Gateway API: "Value is immutable").</summary>
    public static void ValidateUpdate(Resource r, Resource old, FieldErrors errors)
    {
        if (r is GatewayClass now && old is GatewayClass was && was.Spec.ControllerName is { } before && now.Spec.ControllerName != before)
            errors.Invalid("spec.controllerName", $"Invalid value: \"string\": Value is immutable");
    }

    private static void CheckHostname(string host, string path, FieldErrors errors)
    {
        var bare = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        if (host.Length > 253 || !LabelNames.IsDns1123Subdomain(bare) || System.Net.IPAddress.TryParse(host, out _))
            errors.Invalid(path, $"Invalid value: \"{host}\": {path} in body should match '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'");
    }

    private static void InRange(int value, int min, int max, string path, FieldErrors errors)
    {
        if (value < min) errors.Invalid(path, $"Invalid value: {value}: {path} in body should be greater than or equal to {min}");
        else if (value > max) errors.Invalid(path, $"Invalid value: {value}: {path} in body should be less than or equal to {max}");
    }

    private static string Unsupported(string value, IEnumerable<string> supported) =>
        $"Unsupported value: \"{value}\": supported values: {string.Join(", ", supported.Select(s => $"\"{s}\""))}";

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+$")]
    private static partial Regex ControllerName();
}
