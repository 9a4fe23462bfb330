using Platform.ApiServer.Client;
using System.Globalization;
using System.Text;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Api;

namespace Platform.NodeAgent.Pods;

/// <summary>
/// A container's environment: the service variables (<see cref="ServiceEnv"/>), <c>PORT</c> (the container's first
/// port: the allocated host port on the host network, the containerPort itself on the pod network) and
/// <c>PORT_{NAME}</c> per named port, <c>POD_IP</c> on the pod network, then the spec's variables (literal, ConfigMap
/// key, Secret key), with Kubernetes' <c>$(VAR)</c> expansion.
/// </summary>
internal static class ContainerEnv
{
    /// <summary><paramref name="podIp"/>: the pod's own IP on the pod network, as <c>POD_IP</c> (absent on the host network).</summary>
    public static async Task<Dictionary<string, string>> BuildAsync(Pod pod, Container container, IReadOnlyDictionary<string, int> ports, string? podIp,
        IEnumerable<KeyValuePair<string, string>> serviceEnv, ApiClient api, CancellationToken ct)
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
            else
            {
                env[v.Name] = Expand(v.Value ?? "", env);
            }
        }
        return env;
    }

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
