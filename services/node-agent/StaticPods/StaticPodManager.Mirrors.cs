using Platform.ApiServer.Client;
using Platform.Contracts.Resources;

namespace Platform.NodeAgent.StaticPods;

/// <summary>
/// Mirror pods: each running static pod has a Pod in the apiserver carrying <c>kubernetes.io/config.mirror</c> (its
/// hash) and owned by this Node, whose status the pod worker writes as for any pod. Mirrors of a stale hash or of no
/// static pod are deleted; a missing mirror is created, whether it was never made (the apiserver was away) or
/// someone deleted it. The static pod itself never depends on its mirror.
/// </summary>
internal sealed partial class StaticPodManager
{
    private readonly HashSet<string> _mirrorFailures = [];

    /// <summary>False when the mirrors could not be brought up to date for now (no Node yet, apiserver unreachable).</summary>
    private async Task<bool> SyncMirrorsAsync(CancellationToken ct)
    {
        List<StaticPod> running;
        HashSet<string> stopping;
        lock (_lock)
        {
            running = [.. _running.Values.Select(r => r.Pod)];
            stopping = [.. _terminating.Where(t => !t.Worker.Completion.IsCompleted).Select(t => t.Pod.Key)];
        }
        try
        {
            var node = await api.GetAsync<Node>($"/api/v1/nodes/{_o.NodeName}", ct);
            if (node?.Metadata.Uid is null) return running.Count == 0; // not registered yet; the owner reference needs the Node's uid
            var (pods, _) = await api.ListAsync<Pod>($"/api/v1/pods?fieldSelector=spec.nodeName%3D{_o.NodeName}", ct);
            var mirrored = new HashSet<string>();
            foreach (var mirror in pods.Where(StaticPodAnnotations.IsMirror))
            {
                var key = mirror.Metadata.Namespace + "/" + mirror.Metadata.Name;
                var pod = running.FirstOrDefault(p => p.Key == key);
                var current = pod is not null && mirror.Metadata.DeletionTimestamp is null
                    && mirror.Metadata.Annotations![StaticPodAnnotations.Mirror] == pod.Hash
                    && mirror.Metadata.OwnerReferences?.Any(o => o.Kind == "Node" && o.Uid == node.Metadata.Uid) == true;
                if (current)
                {
                    mirrored.Add(key);
                    // A mirror without container statuses missed the worker's last write (it was recreated meanwhile).
                    if (mirror.Status?.ContainerStatuses is not { Count: > 0 }) WorkerOf(pod!.Hash)?.ResendStatus();
                    continue;
                }
                if (await api.DeleteAsync(ApiClient.PodPath(mirror.Metadata.Namespace!, mirror.Metadata.Name!), "Background", ct))
                    MirrorRemoved(key, mirror.Metadata.Annotations![StaticPodAnnotations.Mirror]);
            }
            foreach (var pod in running.Where(p => !mirrored.Contains(p.Key) && !stopping.Contains(p.Key)))
                await CreateMirrorAsync(pod, node, ct);
            return true;
        }
        catch (HttpRequestException ex)
        {
            // The apiserver is away or refuses: the static pods run on regardless.
            MirrorSyncFailed(ex.Message);
            return false;
        }
    }

    private async Task CreateMirrorAsync(StaticPod pod, Node node, CancellationToken ct)
    {
        var p = pod.Pod;
        var mirror = p with
        {
            Metadata = p.Metadata with
            {
                Uid = null,
                Annotations = new Dictionary<string, string>(p.Metadata.Annotations ?? []) { [StaticPodAnnotations.Mirror] = pod.Hash },
                OwnerReferences = [new OwnerReference { ApiVersion = "v1", Kind = "Node", Name = node.Metadata.Name, Uid = node.Metadata.Uid, Controller = true }],
            },
            Status = null,
        };
        try
        {
            if (await api.CreateAsync($"/api/v1/namespaces/{p.Metadata.Namespace}/pods", mirror, ct))
            {
                _mirrorFailures.Remove(pod.Hash);
                MirrorCreated(pod.Key, pod.Hash);
                WorkerOf(pod.Hash)?.ResendStatus();
            }
            else if (_mirrorFailures.Add(pod.Hash))
            {
                MirrorRefused(pod.Key, "a pod of that name exists and is not this static pod's mirror");
            }
        }
        catch (HttpRequestException ex) when (ex.StatusCode is not null)
        {
            // 4xx: a missing namespace, a quota, a validation rule of the apiserver. Said once per static pod version.
            if (_mirrorFailures.Add(pod.Hash)) MirrorRefused(pod.Key, ex.Message);
        }
    }

    private Pods.PodWorker? WorkerOf(string hash)
    {
        lock (_lock) return _running.TryGetValue(hash, out var r) ? r.Worker : null;
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Information, Message = "mirror pod {Pod} created for static pod hash {Hash}")]
    private partial void MirrorCreated(string pod, string hash);

    [LoggerMessage(EventId = 511, Level = LogLevel.Information, Message = "mirror pod {Pod} (hash {Hash}) deleted: it mirrors no running static pod")]
    private partial void MirrorRemoved(string pod, string hash);

    [LoggerMessage(EventId = 512, Level = LogLevel.Warning, Message = "mirror pod {Pod} not created: {Reason}")]
    private partial void MirrorRefused(string pod, string reason);

    [LoggerMessage(EventId = 513, Level = LogLevel.Warning, Message = "mirror pod sync failed: {Error}; the static pods keep running")]
    private partial void MirrorSyncFailed(string error);
}
