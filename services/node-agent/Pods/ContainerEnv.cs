using Platform.ApiServer.Client;
using System.Globalization;
using System.Text;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Api;

namespace Platform.NodeAgent.Pods;

/// <summary>
/// A container's environment: the service variables (<see cref="ServiceEnv"/>), <c>PORT</c> (the container's first
/// port: the allocated host port on the host network, the containerPort itself on the pod network) and
/// <c>PORT_{NAME}</c> per named port, <c>POD_IP</c> on the pod network, then <c>envFrom</c> (every key of a ConfigMap or
/// Secret) and the spec's variables (literal, ConfigMap key, Secret key, a field of the pod), with Kubernetes'
/// <c>$(VAR)</c> expansion.
/// </summary>
internal static partial class ContainerEnv
{
    /// <summary>
    /// <paramref name="podIp"/>: the pod's own IP on the pod network, as <c>POD_IP</c> (absent on the host network,
    /// where <c>status.podIP</c> is <paramref name="hostIp"/>, the node's address).
    /// </summary>
    public static async Task<Dictionary<string, string>> BuildAsync(Pod pod, Container container, IReadOnlyDictionary<string, int> ports, string? podIp,
        string hostIp, IEnumerable<KeyValuePair<string, string>> serviceEnv, ApiClient api, CancellationToken ct)
    {
        // kubelet: the spec's variables may refer to service variables with $(VAR) and override them.
        var env = new Dictionary<string, string>(serviceEnv, StringComparer.Ordinal);
        if (PrimaryPort(pod, container, ports) is { } primary) env["PORT"] = primary.ToString(CultureInfo.InvariantCulture);
        foreach (var (name, port) in ports)
            if (!char.IsAsciiDigit(name[0])) env["PORT_" + name.ToUpperInvariant().Replace('-', '_')] = port.ToString(CultureInfo.InvariantCulture);
        env["POD_NAME"] = pod.Metadata.Name ?? "";
        env["POD_NAMESPACE"] = pod.Metadata.Namespace ?? "";
        if (podIp is not null) env["POD_IP"] = podIp;
        var ns = pod.Metadata.Namespace!;
        var configMaps = new Dictionary<string, ConfigMap?>();
        var secrets = new Dictionary<string, Secret?>();
        foreach (var from in container.EnvFrom ?? [])
        {
            if (from.ConfigMapRef is { Name: { } cmName } cmRef)
            {
                if (!configMaps.TryGetValue(cmName, out var cm)) configMaps[cmName] = cm = await api.GetAsync<ConfigMap>($"/api/v1/namespaces/{ns}/configmaps/{cmName}", ct);
                if (cm is null && cmRef.Optional != true) throw new InvalidOperationException($"configmap \"{cmName}\" not found");
                foreach (var (key, value) in cm?.Data ?? []) if (EnvName().IsMatch(from.Prefix + key)) env[from.Prefix + key] = value;
            }
            else if (from.SecretRef is { Name: { } sName } sRef)
            {
                if (!secrets.TryGetValue(sName, out var s)) secrets[sName] = s = await api.GetAsync<Secret>($"/api/v1/namespaces/{ns}/secrets/{sName}", ct);
                if (s is null && sRef.Optional != true) throw new InvalidOperationException($"secret \"{sName}\" not found");
                foreach (var (key, b64) in s?.Data ?? []) if (EnvName().IsMatch(from.Prefix + key)) env[from.Prefix + key] = Encoding.UTF8.GetString(Convert.FromBase64String(b64));
            }
        }
        foreach (var v in container.Env ?? [])
        {
            if (v.Name is null) continue;
            if (v.ValueFrom?.ConfigMapKeyRef is { Name: { } cmName, Key: { } cmKey } cmRef)
            {
                if (!configMaps.TryGetValue(cmName, out var cm)) configMaps[cmName] = cm = await api.GetAsync<ConfigMap>($"/api/v1/namespaces/{ns}/configmaps/{cmName}", ct);
                if (cm?.Data?.GetValueOrDefault(cmKey) is { } value) env[v.Name] = value;
                else if (cmRef.Optional != true) throw new InvalidOperationException($"configmap \"{cmName}\" key \"{cmKey}\" not found");
            }
            else if (v.ValueFrom?.SecretKeyRef is { Name: { } sName, Key: { } sKey } sRef)
            {
                if (!secrets.TryGetValue(sName, out var s)) secrets[sName] = s = await api.GetAsync<Secret>($"/api/v1/namespaces/{ns}/secrets/{sName}", ct);
                if (s?.Data?.GetValueOrDefault(sKey) is { } b64) env[v.Name] = Encoding.UTF8.GetString(Convert.FromBase64String(b64));
                else if (sRef.Optional != true) throw new InvalidOperationException($"secret \"{sName}\" key \"{sKey}\" not found");
            }
            else if (v.ValueFrom?.FieldRef is { FieldPath: { } field })
            {
                env[v.Name] = FieldValue(pod, field, podIp ?? hostIp, hostIp)
                    ?? throw new InvalidOperationException($"env {v.Name}: unsupported fieldPath \"{field}\"");
            }
            else
            {
                env[v.Name] = Expand(v.Value ?? "", env);
            }
        }
        return env;
    }

    /// <summary>The downward API: a field of the pod as kubelet resolves it for <c>env[].valueFrom.fieldRef</c>; null when unsupported.</summary>
    public static string? FieldValue(Pod pod, string path, string podIp, string hostIp)
    {
        var m = pod.Metadata;
        switch (path)
        {
            case "metadata.name": return m.Name ?? "";
            case "metadata.namespace": return m.Namespace ?? "";
            case "metadata.uid": return m.Uid ?? "";
            case "spec.nodeName": return pod.Spec.NodeName ?? "";
            case "spec.serviceAccountName": return pod.Spec.ServiceAccountName ?? "default";
            case "status.hostIP": return hostIp;
            case "status.podIP": return podIp;
        }
        if (LabelOrAnnotation().Match(path) is { Success: true } match)
        {
            var map = match.Groups[1].Value == "labels" ? m.Labels : m.Annotations;
            return map?.GetValueOrDefault(match.Groups[2].Value) ?? "";
        }
        return null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^metadata\.(labels|annotations)\['([^']+)'\]$")]
    private static partial System.Text.RegularExpressions.Regex LabelOrAnnotation();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial System.Text.RegularExpressions.Regex EnvName();

    /// <summary>The container's first declared port, else the pod's first allocated port.</summary>
    public static int? PrimaryPort(Pod pod, Container container, IReadOnlyDictionary<string, int> ports)
    {
        if (container.Ports is { Count: > 0 } declared && ports.TryGetValue(PortKey(declared[0]), out var p)) return p;
        return ports.Count > 0 ? ports.Values.Min() : null;
    }

    public static string PortKey(ContainerPort port) => port.Name ?? port.Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Kubernetes' <c>$(VAR)</c> references; <c>$$(VAR)</c> escapes, unknown names stay as written.</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> env)
    {
        if (!text.Contains("$(", StringComparison.Ordinal)) return text;
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '$') { sb.Append('$'); i++; continue; }
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '(')
            {
                var close = text.IndexOf(')', i + 2);
                if (close > 0 && env.TryGetValue(text[(i + 2)..close], out var value))
                {
                    sb.Append(value);
                    i = close;
                    continue;
                }
            }
            sb.Append(text[i]);
        }
        return sb.ToString();
    }
}
