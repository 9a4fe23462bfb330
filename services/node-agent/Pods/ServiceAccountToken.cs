using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Platform.ApiServer.Client;
using Platform.Contracts.Resources;

namespace Platform.NodeAgent.Pods;

/// <summary>
/// The pod's ServiceAccount token, projected as kubelet does it: a token of <c>spec.serviceAccountName</c> (default
/// <c>default</c>) requested from the apiserver's TokenRequest API bound to the pod (so it dies with the pod), written
/// with <c>namespace</c> and the apiserver's <c>ca.crt</c> into <c>{pod dir}/serviceaccount</c> and mounted read-only at
/// <see cref="MountPath"/> in every container, unless the pod sets <c>automountServiceAccountToken: false</c> or a
/// container mounts something there itself. The token lives <see cref="Lifetime"/> and is replaced (atomically, so a
/// reader never sees half a file) once 80% of that has passed. A ServiceAccount that does not exist leaves the pod
/// without a token (Kubernetes would have refused the pod); the caller records that as an event.
/// </summary>
internal static class ServiceAccountToken
{
    public const string MountPath = "/var/run/secrets/kubernetes.io/serviceaccount";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>Whether the container gets the token: not for static pods (they exist without the apiserver and, as in Kubernetes, have no ServiceAccount).</summary>
    public static bool Wanted(Pod pod, Container container) =>
        pod.Spec.AutomountServiceAccountToken != false && !IsStatic(pod)
        && container.VolumeMounts?.Any(m => m.MountPath?.TrimEnd('/') == MountPath) != true;

    private static bool IsStatic(Pod pod) => pod.Metadata.Annotations?.ContainsKey(StaticPods.StaticPodAnnotations.Source) == true
        || StaticPods.StaticPodAnnotations.IsMirror(pod);

    public static string AccountOf(Pod pod) => pod.Spec.ServiceAccountName is { Length: > 0 } sa ? sa : "default";

    /// <summary>
    /// Makes sure the pod's token files are there and fresh; returns the bind for a container, or null when the
    /// ServiceAccount does not exist.
    /// </summary>
    public static async Task<string?> EnsureAsync(Pod pod, NodeAgentOptions o, ApiClient api, TimeProvider time, CancellationToken ct)
    {
        var dir = Path.Combine(PodVolumes.PodDirectory(o, pod.Metadata.Uid!), "serviceaccount");
        var bind = $"{dir}:{MountPath}:ro";
        var expiresFile = Path.Combine(PodVolumes.PodDirectory(o, pod.Metadata.Uid!), "serviceaccount.expires");
        var now = time.GetUtcNow();
        if (File.Exists(expiresFile) && File.Exists(Path.Combine(dir, "token"))
            && DateTimeOffset.TryParse(await File.ReadAllTextAsync(expiresFile, ct), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires)
            && now < expires - Lifetime * 0.2)
            return bind;
        var ns = pod.Metadata.Namespace!;
        ApiResponse answer;
        try
        {
            answer = await api.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/serviceaccounts/{AccountOf(pod)}/token", new JsonObject
            {
                ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenRequest",
                ["spec"] = new JsonObject
                {
                    ["expirationSeconds"] = (long)Lifetime.TotalSeconds,
                    ["boundObjectRef"] = new JsonObject { ["kind"] = "Pod", ["apiVersion"] = "v1", ["name"] = pod.Metadata.Name, ["uid"] = pod.Metadata.Uid },
                },
            }, ct);
        }
        catch (ApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        var token = (string?)answer.Object["status"]?["token"] ?? throw new InvalidOperationException("the TokenRequest answer carries no status.token");
        Directory.CreateDirectory(dir);
        await WriteAtomicallyAsync(Path.Combine(dir, "token"), token, ct);
        await WriteAtomicallyAsync(Path.Combine(dir, "namespace"), ns, ct);
        if (o.ApiServerCaFile is { Length: > 0 } ca && File.Exists(ca))
            await WriteAtomicallyAsync(Path.Combine(dir, "ca.crt"), await File.ReadAllTextAsync(ca, ct), ct);
        await File.WriteAllTextAsync(expiresFile, (now + Lifetime).ToString("O", CultureInfo.InvariantCulture), ct);
        return bind;
    }

    /// <summary>Readable by the container's user whatever it is (0644), as kubelet's default mode for projected tokens is.</summary>
    private static async Task WriteAtomicallyAsync(string path, string content, CancellationToken ct)
    {
        var tmp = path + ".tmp";
        await File.WriteAllTextAsync(tmp, content, ct);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.Move(tmp, path, overwrite: true);
    }
}
