using System.Net;
using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>Ingress and IngressClass as Kubernetes' networking validation checks them, with its messages.</summary>
public static class IngressValidator
{
    private static readonly string[] PathTypes = ["Exact", "ImplementationSpecific", "Prefix"];

    public static void Validate(Ingress ingress, FieldErrors errors)
    {
        var spec = ingress.Spec;
        if (spec is null) { errors.Required("spec"); return; }
        if (spec.DefaultBackend is null && (spec.Rules is null || spec.Rules.Count == 0))
            errors.Invalid("spec", "either `defaultBackend` or `rules` must be specified");
        if (spec.IngressClassName is { } cls && !LabelNames.IsDns1123Subdomain(cls))
            errors.Invalid("spec.ingressClassName", $"'{cls}' must be a DNS-1123 subdomain");
        if (spec.DefaultBackend is { } db) ValidateBackend(db, "spec.defaultBackend", errors);
        for (var i = 0; i < (spec.Tls?.Count ?? 0); i++)
        {
            var tls = spec.Tls![i];
            if (tls is null) { errors.Required($"spec.tls[{i}]"); continue; }
            for (var j = 0; j < (tls.Hosts?.Count ?? 0); j++)
                ValidateHost(tls.Hosts![j], $"spec.tls[{i}].hosts[{j}]", errors);
            if (tls.SecretName is { Length: > 0 } secret && !LabelNames.IsDns1123Subdomain(secret))
                errors.Invalid($"spec.tls[{i}].secretName", $"'{secret}' must be a DNS-1123 subdomain");
        }
        for (var i = 0; i < (spec.Rules?.Count ?? 0); i++)
        {
            var rule = spec.Rules![i];
            var path = $"spec.rules[{i}]";
            if (rule is null) { errors.Required(path); continue; }
            if (rule.Host is { Length: > 0 } host) ValidateHost(host, path + ".host", errors);
            if (rule.Http is null) continue;
            if (rule.Http.Paths is null || rule.Http.Paths.Count == 0) { errors.Required(path + ".http.paths"); continue; }
            for (var j = 0; j < rule.Http.Paths.Count; j++)
                ValidatePath(rule.Http.Paths[j], $"{path}.http.paths[{j}]", errors);
        }
    }

    private static void ValidatePath(HttpIngressPath? p, string path, FieldErrors errors)
    {
        if (p is null) { errors.Required(path); return; }
        if (p.PathType is null)
            errors.Invalid(path + ".pathType", "pathType must be specified");
        else if (!PathTypes.Contains(p.PathType))
            errors.Invalid(path + ".pathType", $"Unsupported value: \"{p.PathType}\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"");
        if (p.PathType is "Exact" or "Prefix" && !(p.Path ?? "").StartsWith('/'))
            errors.Invalid(path + ".path", $"\"{p.Path}\": must be an absolute path");
        else if (p.Path is { Length: > 0 } value && (!value.StartsWith('/') || value.Contains("//") || value.Length > 4096))
            errors.Invalid(path + ".path", $"\"{value}\": must be an absolute path");
        if (p.Backend is null) errors.Required(path + ".backend");
        else ValidateBackend(p.Backend, path + ".backend", errors);
    }

    private static void ValidateBackend(IngressBackend backend, string path, FieldErrors errors)
    {
        if (backend.Service is not null && backend.Resource is not null)
        {
            errors.Invalid(path, "cannot set both resource and service backends");
            return;
        }
        if (backend.Service is null && backend.Resource is null)
        {
            errors.Invalid(path, "resource or service backend is required");
            return;
        }
        if (backend.Resource is { } r)
        {
            if (string.IsNullOrEmpty(r.Kind)) errors.Required(path + ".resource.kind");
            if (string.IsNullOrEmpty(r.Name)) errors.Required(path + ".resource.name");
            return;
        }
        var svc = backend.Service!;
        if (string.IsNullOrEmpty(svc.Name)) errors.Required(path + ".service.name");
        else if (!LabelNames.IsDns1123Label(svc.Name))
            errors.Invalid(path + ".service.name", $"'{svc.Name}' must be a DNS-1035 label");
        var port = svc.Port;
        if (port is null || (port.Name is null or "" && port.Number is null))
            errors.Invalid(path + ".service.port", "port name or number is required");
        else if (port.Name is { Length: > 0 } && port.Number is not null)
            errors.Invalid(path + ".service.port", "cannot set both port name & port number");
        else if (port.Number is { } n && n is < 1 or > 65535)
            errors.Invalid(path + ".service.port.number", $"{n}: must be between 1 and 65535, inclusive");
        else if (port.Name is { Length: > 0 } name && !LabelNames.IsDns1123Label(name))
            errors.Invalid(path + ".service.port.name", $"\"{name}\": must be a valid port name");
    }

    private static void ValidateHost(string? host, string path, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(host)) { errors.Required(path); return; }
        if (IPAddress.TryParse(host, out _))
        {
            errors.Invalid(path, $"\"{host}\": must be a DNS name, not an IP address");
            return;
        }
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        if (!LabelNames.IsDns1123Subdomain(name) || name.Contains('*'))
            errors.Invalid(path, $"\"{host}\": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain");
    }

    public static void ValidateClass(IngressClass cls, FieldErrors errors)
    {
        var controller = cls.Spec?.Controller;
        if (string.IsNullOrEmpty(controller)) errors.Required("spec.controller");
        else if (controller.Length > 250) errors.Invalid("spec.controller", "must be no more than 250 characters");
        else if (controller.IndexOf('/') is var slash && (slash <= 0 || !LabelNames.IsDns1123Subdomain(controller[..slash]) || slash == controller.Length - 1))
            errors.Invalid("spec.controller", $"\"{controller}\": must be a domain-prefixed path (such as \"acme.io/foo\")");
        if (cls.Spec?.Parameters is { } p)
        {
            if (string.IsNullOrEmpty(p.Kind)) errors.Required("spec.parameters.kind");
            if (string.IsNullOrEmpty(p.Name)) errors.Required("spec.parameters.name");
            if (p.Scope is { } scope && scope is not ("Cluster" or "Namespace"))
                errors.Invalid("spec.parameters.scope", $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespace\"");
            if (p.Scope == "Namespace" && string.IsNullOrEmpty(p.Namespace)) errors.Required("spec.parameters.namespace");
        }
    }
}
