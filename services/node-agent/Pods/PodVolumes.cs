using Platform.ApiServer.Client;
using System.Text;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Api;

namespace Platform.NodeAgent.Pods;

/// <summary>
/// A pod's volumes on this node, as Docker bind mounts: emptyDir is a directory under the pod's folder
/// (<c>{StateDirectory}/pods/{uid}/volumes/{name}</c>, removed with the pod), hostPath the node's own path, a
/// persistentVolumeClaim the directory of the volume bound to the claim (<see cref="Volumes.ClaimVolumes"/>), and
/// ConfigMap and Secret volumes one file per key, written before each container start and mounted read-only. A
/// volumeMount's <c>subPath</c> mounts a path inside the volume instead of its root.
/// </summary>
internal static class PodVolumes
{
    public static string PodDirectory(NodeAgentOptions o, string uid) => Path.Combine(o.StateDirectory, "pods", uid);

    /// <summary>The <c>host:container[:ro]</c> binds of <paramref name="container"/>'s volumeMounts.</summary>
    public static async Task<List<string>> PrepareAsync(Pod pod, Container container, NodeAgentOptions o, ApiClient api, CancellationToken ct)
    {
        var binds = new List<string>();
        var ns = pod.Metadata.Namespace!;
        foreach (var mount in container.VolumeMounts ?? [])
        {
            var volume = pod.Spec.Volumes?.FirstOrDefault(v => v.Name == mount.Name)
                ?? throw new InvalidOperationException($"volumeMount \"{mount.Name}\" names no volume of the pod");
            var dir = Path.Combine(PodDirectory(o, pod.Metadata.Uid!), "volumes", volume.Name!);
            string host;
            var readOnly = mount.ReadOnly == true;
            if (volume.HostPath is { Path: { } path } hp)
            {
                if (hp.Type is "DirectoryOrCreate" && !Directory.Exists(path)) Directory.CreateDirectory(path);
                host = path;
            }
            else if (volume.ConfigMap is { Name: { } cmName } cm)
            {
                var map = await api.GetAsync<ConfigMap>($"/api/v1/namespaces/{ns}/configmaps/{cmName}", ct);
                if (map is null && cm.Optional != true) throw new InvalidOperationException($"configmap \"{cmName}\" not found");
                await WriteFilesAsync(dir, (map?.Data ?? []).Select(kv => (kv.Key, Encoding.UTF8.GetBytes(kv.Value))), ct);
                host = dir;
                readOnly = true;
            }
            else if (volume.Secret is { SecretName: { } sName } sv)
            {
                var secret = await api.GetAsync<Secret>($"/api/v1/namespaces/{ns}/secrets/{sName}", ct);
                if (secret is null && sv.Optional != true) throw new InvalidOperationException($"secret \"{sName}\" not found");
                await WriteFilesAsync(dir, (secret?.Data ?? []).Select(kv => (kv.Key, Convert.FromBase64String(kv.Value))), ct);
                host = dir;
                readOnly = true;
            }
            else if (volume.PersistentVolumeClaim is { ClaimName: { } claimName } claimSource)
            {
                host = await Volumes.ClaimVolumes.HostPathAsync(ns, claimName, o, api, ct);
                readOnly |= claimSource.ReadOnly == true;
            }
            else
            {
                Directory.CreateDirectory(dir); // emptyDir (and a volume of no known type behaves like one)
                host = dir;
            }
            if (mount.SubPath is { Length: > 0 } sub) host = SubPath(host, sub, mount.Name!);
            binds.Add($"{host}:{mount.MountPath}{(readOnly ? ":ro" : "")}");
        }
        return binds;
    }

    /// <summary>
    /// <paramref name="sub"/> inside the volume at <paramref name="root"/>, created as a directory when missing (as
    /// kubelet does). The apiserver refuses absolute subPaths and <c>..</c>; a symlink on the way, which a container
    /// could have planted in its volume to reach the node's files, is refused here (kubelet's CVE-2017-1002101 fix).
    /// </summary>
    private static string SubPath(string root, string sub, string volume)
    {
        var path = root;
        foreach (var part in sub.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") throw new InvalidOperationException($"subPath \"{sub}\" of volume \"{volume}\" must stay inside the volume");
            path = Path.Combine(path, part);
            var info = new FileInfo(path);
            if (info.LinkTarget is not null) throw new InvalidOperationException($"subPath \"{sub}\" of volume \"{volume}\" goes through a symlink ({path})");
        }
        if (!File.Exists(path) && !Directory.Exists(path)) Directory.CreateDirectory(path);
        return path;
    }

    private static async Task WriteFilesAsync(string dir, IEnumerable<(string Name, byte[] Content)> files, CancellationToken ct)
    {
        Directory.CreateDirectory(dir);
        foreach (var (name, content) in files)
        {
            if (name.Contains('/') || name.Contains("..", StringComparison.Ordinal)) continue; // keys never escape the volume
            await File.WriteAllBytesAsync(Path.Combine(dir, name), content, ct);
        }
    }

    public static void Remove(NodeAgentOptions o, string uid)
    {
        var dir = PodDirectory(o, uid);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
