using System.Text.RegularExpressions;
using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

public static partial class PodSpecValidator
{
    private static readonly string[] RestartPolicies = ["Always", "OnFailure", "Never"];
    private static readonly string[] Protocols = ["TCP", "UDP", "SCTP"];
    private static readonly string[] Effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
    private static readonly string[] NodeOperators = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"];

    public static void Validate(PodSpec? spec, string path, FieldErrors errors)
    {
        if (spec is null)
        {
            errors.Required(path);
            return;
        }
        if (spec.Containers is null || spec.Containers.Count == 0) errors.Required(path + ".containers");
        var names = new HashSet<string>();
        var volumes = VolumeValidator.ValidateVolumes(spec.Volumes, path + ".volumes", errors);
        ValidateContainers(spec.Containers, path + ".containers", names, volumes, errors);
        ValidateContainers(spec.InitContainers, path + ".initContainers", names, volumes, errors);
        SecurityContextValidator.ValidatePod(spec.SecurityContext, path + ".securityContext", errors);
        PriorityValidator.CheckPreemptionPolicy(spec.PreemptionPolicy, path + ".preemptionPolicy", errors);
        if (spec.PriorityClassName is { Length: > 0 } pcn && !LabelNames.IsDns1123Subdomain(pcn))
            errors.Invalid(path + ".priorityClassName", $"Invalid value: \"{pcn}\": must be a lowercase RFC 1123 subdomain");
        PodDnsValidator.Validate(spec, path, errors);
        TopologySpreadValidator.Validate(spec.TopologySpreadConstraints, path + ".topologySpreadConstraints", errors);
        ValidateInitContainers(spec.InitContainers, path + ".initContainers", errors);
        if (spec.RestartPolicy is { } rp && !RestartPolicies.Contains(rp)) errors.Invalid(path + ".restartPolicy", $"'{rp}' is not one of Always, OnFailure, Never");
        if (spec.NodeName is { Length: > 0 } node) MetadataValidator.ValidateName(node, false, path + ".nodeName", errors);
        MetadataValidator.ValidateLabels(spec.NodeSelector, path + ".nodeSelector", errors);
        if (spec.TerminationGracePeriodSeconds < 0) errors.Invalid(path + ".terminationGracePeriodSeconds", "must be >= 0");
        for (var i = 0; i < (spec.Tolerations?.Count ?? 0); i++)
        {
            var t = spec.Tolerations![i];
            var p = $"{path}.tolerations[{i}]";
            if (t is null) { errors.Required(p); continue; }
            if (t.Operator is not (null or "Equal" or "Exists")) errors.Invalid(p + ".operator", $"'{t.Operator}' is not one of Equal, Exists");
            if (t.Operator == "Exists" && !string.IsNullOrEmpty(t.Value)) errors.Invalid(p + ".value", "must be empty when operator is Exists");
            if (string.IsNullOrEmpty(t.Key) && t.Operator != "Exists") errors.Invalid(p + ".operator", "must be Exists when key is empty");
            if (t.Effect is { Length: > 0 } e && !Effects.Contains(e)) errors.Invalid(p + ".effect", $"'{e}' is not one of NoSchedule, PreferNoSchedule, NoExecute");
        }
        var affinity = spec.Affinity?.NodeAffinity;
        var required = affinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        var ap = path + ".affinity.nodeAffinity";
        if (required is not null)
        {
            if (required.NodeSelectorTerms is null || required.NodeSelectorTerms.Count == 0) errors.Required(ap + ".requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms");
            for (var i = 0; i < (required.NodeSelectorTerms?.Count ?? 0); i++)
                ValidateTerm(required.NodeSelectorTerms![i], $"{ap}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[{i}]", errors);
        }
        for (var i = 0; i < (affinity?.PreferredDuringSchedulingIgnoredDuringExecution?.Count ?? 0); i++)
        {
            var t = affinity!.PreferredDuringSchedulingIgnoredDuringExecution![i];
            var p = $"{ap}.preferredDuringSchedulingIgnoredDuringExecution[{i}]";
            if (t is null) { errors.Required(p); continue; }
            if (t.Weight is < 1 or > 100) errors.Invalid(p + ".weight", "must be between 1 and 100");
            ValidateTerm(t.Preference, p + ".preference", errors);
        }
    }

    private static void ValidateTerm(NodeSelectorTerm? term, string path, FieldErrors errors)
    {
        if (term is null) { errors.Required(path); return; }
        foreach (var (list, name) in new[] { (term.MatchExpressions, "matchExpressions"), (term.MatchFields, "matchFields") })
        {
            for (var i = 0; i < (list?.Count ?? 0); i++)
            {
                var r = list![i];
                var p = $"{path}.{name}[{i}]";
                if (r is null) { errors.Required(p); continue; }
                if (string.IsNullOrEmpty(r.Key)) errors.Required(p + ".key");
                if (r.Operator is null || !NodeOperators.Contains(r.Operator)) errors.Invalid(p + ".operator", $"'{r.Operator}' is not one of {string.Join(", ", NodeOperators)}");
                var count = r.Values?.Count ?? 0;
                if (r.Operator is "In" or "NotIn" && count == 0) errors.Invalid(p + ".values", "must have at least one value for In and NotIn");
                if (r.Operator is "Exists" or "DoesNotExist" && count > 0) errors.Invalid(p + ".values", "must be empty for Exists and DoesNotExist");
                if (r.Operator is "Gt" or "Lt" && (count != 1 || !long.TryParse(r.Values![0], out _))) errors.Invalid(p + ".values", "must be one integer for Gt and Lt");
            }
        }
    }

    private static void ValidateContainers(List<Container>? containers, string path, HashSet<string> names, HashSet<string> volumes, FieldErrors errors)
    {
        for (var i = 0; i < (containers?.Count ?? 0); i++)
        {
            var c = containers![i];
            var p = $"{path}[{i}]";
            if (c is null) { errors.Required(p); continue; }
            if (string.IsNullOrEmpty(c.Name)) errors.Required(p + ".name");
            else if (!LabelNames.IsDns1123Label(c.Name)) errors.Invalid(p + ".name", "must be a DNS-1123 label (lower-case letters, digits, '-', at most 63)");
            else if (!names.Add(c.Name)) errors.Invalid(p + ".name", $"duplicate container name '{c.Name}'");
            if (string.IsNullOrWhiteSpace(c.Image)) errors.Required(p + ".image");
            else if (c.Image.Length > 1024 || c.Image.Any(char.IsWhiteSpace)) errors.Invalid(p + ".image", "must be an image reference without spaces");
            if (c.ImagePullPolicy is { } pp && pp is not ("Always" or "IfNotPresent" or "Never")) errors.Invalid(p + ".imagePullPolicy", $"'{pp}' is not one of Always, IfNotPresent, Never");
            var portNames = new HashSet<string>();
            for (var j = 0; j < (c.Ports?.Count ?? 0); j++)
            {
                var port = c.Ports![j];
                var pp2 = $"{p}.ports[{j}]";
                if (port is null) { errors.Required(pp2); continue; }
                if (port.Port is < 1 or > 65535) errors.Invalid(pp2 + ".containerPort", "must be between 1 and 65535");
                if (port.HostPort is { } hp && hp is < 1 or > 65535) errors.Invalid(pp2 + ".hostPort", "must be between 1 and 65535");
                if (port.Protocol is { } proto && !Protocols.Contains(proto)) errors.Invalid(pp2 + ".protocol", $"'{proto}' is not one of TCP, UDP, SCTP");
                if (port.Name is { Length: > 0 } pn)
                {
                    if (!PortName().IsMatch(pn) || pn.Length > 15) errors.Invalid(pp2 + ".name", "must be at most 15 lower-case letters, digits or '-', with at least one letter");
                    else if (!portNames.Add(pn)) errors.Invalid(pp2 + ".name", $"duplicate port name '{pn}'");
                }
            }
            EnvSourceValidator.ValidateEnvFrom(c.EnvFrom, p + ".envFrom", errors);
            for (var j = 0; j < (c.Env?.Count ?? 0); j++)
            {
                var e = c.Env![j];
                var ep = $"{p}.env[{j}]";
                if (e is null) { errors.Required(ep); continue; }
                if (string.IsNullOrEmpty(e.Name)) errors.Required(ep + ".name");
                else if (!EnvName().IsMatch(e.Name)) errors.Invalid(ep + ".name", "must consist of letters, digits, '_', '-' or '.', not starting with a digit");
                if (e.ValueFrom is { } vf)
                {
                    if (e.Value is not null) errors.Invalid(ep + ".valueFrom", "may not be set together with value");
                    var refs = (vf.ConfigMapKeyRef is null ? 0 : 1) + (vf.SecretKeyRef is null ? 0 : 1) + (vf.FieldRef is null ? 0 : 1);
                    if (refs != 1) errors.Invalid(ep + ".valueFrom", "must set exactly one of configMapKeyRef, secretKeyRef, fieldRef");
                    if (vf.FieldRef is { } fr) EnvSourceValidator.ValidateFieldRef(fr, ep + ".valueFrom.fieldRef", errors);
                    foreach (var (r, n) in new[] { (vf.ConfigMapKeyRef, "configMapKeyRef"), (vf.SecretKeyRef, "secretKeyRef") })
                    {
                        if (r is null) continue;
                        if (string.IsNullOrEmpty(r.Name)) errors.Required($"{ep}.valueFrom.{n}.name");
                        if (string.IsNullOrEmpty(r.Key)) errors.Required($"{ep}.valueFrom.{n}.key");
                    }
                }
            }
            var res = c.Resources;
            MetadataValidator.ValidateQuantities(res?.Requests, p + ".resources.requests", errors);
            MetadataValidator.ValidateQuantities(res?.Limits, p + ".resources.limits", errors);
            foreach (var (k, v) in res?.Requests ?? [])
            {
                if (res?.Limits is { } limits && limits.TryGetValue(k, out var lim) && Quantity.TryParse(v, out var rq) && Quantity.TryParse(lim, out var lq) && rq > lq)
                    errors.Invalid($"{p}.resources.requests.{k}", $"must be less than or equal to the {k} limit ({lim})");
            }
            ValidateProbe(c.LivenessProbe, p + ".livenessProbe", portNames, errors, successMustBeOne: true);
            ValidateProbe(c.ReadinessProbe, p + ".readinessProbe", portNames, errors, successMustBeOne: false);
            ValidateProbe(c.StartupProbe, p + ".startupProbe", portNames, errors, successMustBeOne: true);
            VolumeValidator.ValidateMounts(c.VolumeMounts, volumes, p + ".volumeMounts", errors);
            SecurityContextValidator.ValidateContainer(c.SecurityContext, p + ".securityContext", errors);
        }
    }

    /// <summary>Init containers run to completion before any app container starts, so probes have nothing to decide (Kubernetes forbids them too).</summary>
    private static void ValidateInitContainers(List<Container>? containers, string path, FieldErrors errors)
    {
        for (var i = 0; i < (containers?.Count ?? 0); i++)
        {
            if (containers![i] is not { } c) continue;
            foreach (var (probe, name) in new[] { (c.LivenessProbe, "livenessProbe"), (c.ReadinessProbe, "readinessProbe"), (c.StartupProbe, "startupProbe") })
                if (probe is not null) errors.Invalid($"{path}[{i}].{name}", "may not be set for init containers");
        }
    }

    private static void ValidateProbe(Probe? probe, string path, HashSet<string> portNames, FieldErrors errors, bool successMustBeOne)
    {
        if (probe is null) return;
        var handlers = (probe.Exec is null ? 0 : 1) + (probe.HttpGet is null ? 0 : 1) + (probe.TcpSocket is null ? 0 : 1);
        if (handlers != 1) errors.Invalid(path, "must set exactly one of exec, httpGet, tcpSocket");
        if (probe.Exec is { } exec && (exec.Command is null || exec.Command.Count == 0)) errors.Required(path + ".exec.command");
        if (probe.HttpGet is { } http)
        {
            ValidateProbePort(http.Port, path + ".httpGet.port", portNames, errors);
            if (http.Path is { Length: > 0 } hp && !hp.StartsWith('/')) errors.Invalid(path + ".httpGet.path", "must start with '/'");
            if (http.Scheme is { } s && s is not ("HTTP" or "HTTPS")) errors.Invalid(path + ".httpGet.scheme", $"'{s}' is not one of HTTP, HTTPS");
        }
        if (probe.TcpSocket is { } tcp) ValidateProbePort(tcp.Port, path + ".tcpSocket.port", portNames, errors);
        if (probe.InitialDelaySeconds < 0) errors.Invalid(path + ".initialDelaySeconds", "must be >= 0");
        if (probe.PeriodSeconds < 1) errors.Invalid(path + ".periodSeconds", "must be >= 1");
        if (probe.TimeoutSeconds < 1) errors.Invalid(path + ".timeoutSeconds", "must be >= 1");
        if (probe.FailureThreshold < 1) errors.Invalid(path + ".failureThreshold", "must be >= 1");
        if (probe.SuccessThreshold < 1) errors.Invalid(path + ".successThreshold", "must be >= 1");
        if (successMustBeOne && probe.SuccessThreshold is > 1) errors.Invalid(path + ".successThreshold", "must be 1 for liveness and startup probes");
    }

    private static void ValidateProbePort(IntOrString? port, string path, HashSet<string> portNames, FieldErrors errors)
    {
        if (port is not { } p) errors.Required(path);
        else if (p.IntValue is { } i && i is < 1 or > 65535) errors.Invalid(path, "must be between 1 and 65535");
        else if (p.StringValue is { } s && !portNames.Contains(s)) errors.Invalid(path, $"'{s}' is not the name of a port of this container");
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex PortName();

    [GeneratedRegex("^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex EnvName();
}
