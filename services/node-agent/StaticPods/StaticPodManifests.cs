using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Manifests.Parsing;
using Platform.Contracts.Resources;

namespace Platform.NodeAgent.StaticPods;

/// <summary>
/// Reads the static pod folder: every <c>.yaml</c>, <c>.yml</c> and <c>.json</c> file not starting with '.' (kubelet
/// skips dot files, which editors use for swap files), each with one or more documents. Every Pod document becomes
/// a static pod of this node; anything else is returned as a problem naming the file and the reason.
/// </summary>
internal static partial class StaticPodManifests
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static (List<StaticPod> Pods, List<ManifestProblem> Problems) Load(string folder, string nodeName)
    {
        var pods = new List<StaticPod>();
        var problems = new List<ManifestProblem>();
        if (!Directory.Exists(folder)) return (pods, problems);
        var files = Directory.EnumerateFiles(folder)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && Extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal);
        var seen = new Dictionary<string, string>();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            List<JsonNode> docs;
            try
            {
                docs = ManifestParser.ParseYamlDocuments(File.ReadAllText(file));
            }
            catch (Exception ex) when (ex is ManifestException or IOException or UnauthorizedAccessException)
            {
                problems.Add(new ManifestProblem(name, ex.Message));
                continue;
            }
            for (var i = 0; i < docs.Count; i++)
            {
                var source = docs.Count > 1 ? $"{name}#{i + 1}" : name;
                if (!TryBuild(docs[i], nodeName, source, out var pod, out var reason))
                {
                    problems.Add(new ManifestProblem(source, reason));
                    continue;
                }
                if (seen.TryGetValue(pod.Key, out var first))
                {
                    problems.Add(new ManifestProblem(source, $"static pod {pod.Key} is already defined by {first}"));
                    continue;
                }
                seen[pod.Key] = source;
                pods.Add(pod);
            }
        }
        return (pods, problems);
    }

    /// <summary>
    /// Kubelet's static pod: named <c>{name}-{node}</c>, bound to this node, its uid the hash of manifest and node
    /// (so an unchanged file keeps its pod across agent restarts, and any edit makes a new pod).
    /// </summary>
    public static bool TryBuild(JsonNode doc, string nodeName, string source, out StaticPod pod, out string reason)
    {
        pod = null!;
        if (doc is not JsonObject obj)
        {
            reason = "the document is not a mapping (an object with apiVersion, kind, metadata, spec)";
            return false;
        }
        var kind = (obj["kind"] as JsonValue)?.ToString();
        if (kind != "Pod")
        {
            reason = kind is null ? "kind is missing; only kind Pod runs as a static pod" : $"kind {kind} is not Pod; only Pods run as static pods";
            return false;
        }
        if ((obj["apiVersion"] as JsonValue)?.ToString() != "v1")
        {
            reason = $"apiVersion must be v1, not '{obj["apiVersion"]?.ToJsonString()}'";
            return false;
        }
        Pod decoded;
        try
        {
            decoded = obj.Deserialize<Pod>(ResourceJson.Options) ?? throw new JsonException("empty document");
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            reason = "not a valid Pod: " + ex.Message.Split(" Path:")[0];
            return false;
        }
        if (Problem(decoded, nodeName) is { } problem)
        {
            reason = problem;
            return false;
        }
        var hash = Hash(obj, nodeName);
        var annotations = new Dictionary<string, string>(decoded.Metadata.Annotations ?? [])
        {
            [StaticPodAnnotations.Hash] = hash,
            [StaticPodAnnotations.Source] = StaticPodAnnotations.FileSource,
        };
        annotations.Remove(StaticPodAnnotations.Mirror);
        var staticPod = new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta
            {
                Name = $"{decoded.Metadata.Name}-{nodeName}",
                Namespace = decoded.Metadata.Namespace is { Length: > 0 } ns ? ns : "default",
                Uid = hash,
                Labels = decoded.Metadata.Labels,
                Annotations = annotations,
            },
            Spec = decoded.Spec with { NodeName = nodeName },
        };
        pod = new StaticPod(source, staticPod, hash);
        reason = "";
        return true;
    }

    /// <summary>What would make the pod unrunnable, or refused as a mirror pod; null when it is fine.</summary>
    private static string? Problem(Pod p, string nodeName)
    {
        var name = p.Metadata.Name;
        if (string.IsNullOrEmpty(name)) return "metadata.name is required";
        if (!DnsSubdomain().IsMatch(name) || name.Length + nodeName.Length + 1 > 253)
            return $"metadata.name '{name}' must be lower-case letters, digits, '-' and '.' (at most {252 - nodeName.Length} characters here)";
        if (p.Metadata.Namespace is { Length: > 0 } ns && (!DnsLabel().IsMatch(ns) || ns.Length > 63))
            return $"metadata.namespace '{ns}' must be a DNS label";
        if (p.Spec.Containers.Count == 0) return "spec.containers: at least one container is required";
        var names = new HashSet<string>();
        foreach (var (c, i) in p.Spec.Containers.Concat(p.Spec.InitContainers ?? []).Select((c, i) => (c, i)))
        {
            if (string.IsNullOrEmpty(c.Name) || !DnsLabel().IsMatch(c.Name) || c.Name.Length > 63) return $"container {i + 1}: name '{c.Name}' must be a DNS label";
            if (!names.Add(c.Name)) return $"container name '{c.Name}' is used twice";
            if (string.IsNullOrWhiteSpace(c.Image)) return $"container {c.Name}: image is required";
            // Kubernetes: a static pod cannot refer to other API objects, it must run while the apiserver is away.
            if (c.Env?.FirstOrDefault(e => e.ValueFrom is not null) is { } env)
                return $"container {c.Name}: env {env.Name} uses valueFrom; static pods may not refer to ConfigMaps or Secrets";
        }
        if (p.Spec.Volumes?.FirstOrDefault(v => v.ConfigMap is not null || v.Secret is not null) is { } volume)
            return $"volume {volume.Name}: static pods may not refer to ConfigMaps or Secrets";
        if (p.Spec.RestartPolicy is { } policy && policy is not ("Always" or "OnFailure" or "Never"))
            return $"spec.restartPolicy '{policy}' must be Always, OnFailure or Never";
        if (p.Spec.NodeName is { Length: > 0 } bound && bound != nodeName) return $"spec.nodeName '{bound}' names another node";
        return null;
    }

    /// <summary>32 hex characters of SHA-256 over the node and the manifest document.</summary>
    private static string Hash(JsonObject doc, string nodeName)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(nodeName + "\n" + doc.ToJsonString()));
        return Convert.ToHexStringLower(bytes, 0, 16);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
