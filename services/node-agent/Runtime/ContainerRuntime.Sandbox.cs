using Docker.DotNet;
using Docker.DotNet.Models;

namespace Platform.NodeAgent.Runtime;

/// <summary>
/// Pod sandboxes: a container with a network namespace Docker leaves alone (<c>NetworkDisabled</c>), which the pod
/// network wires. Docker's <c>none</c> network would cost a libnetwork sandbox and a prestart hook that runs dockerd's
/// binary once more for every pod (28% of a system profile of sandbox starts here); the files Docker would have made
/// for it, <c>/etc/hosts</c> and <c>/etc/resolv.conf</c>, the agent writes itself as kubelet does.
/// </summary>
internal sealed partial class ContainerRuntime
{
    /// <summary>
    /// Keeps a network namespace alive and ends at once on SIGTERM; any image with busybox's <c>sh</c> and <c>sleep</c> will do.
    /// </summary>
    private static readonly string[] PauseCommand = ["/bin/sh", "-c", "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done"];

    /// <summary>Creates and starts the sandbox with the pod's host name (its containers share it); returns its id.</summary>
    public async Task<string> CreateSandboxAsync(string image, string name, string hostname, IDictionary<string, string> labels, CancellationToken ct)
    {
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Hostname = hostname,
            Image = image,
            Entrypoint = PauseCommand,
            Labels = labels,
            NetworkDisabled = true,
            HostConfig = new HostConfig { NetworkMode = "none" },
        }, ct);
        return await StartOrRemoveAsync(created.ID, ct);
    }

    /// <summary>The pid of the container's first process while it runs (what <c>nsenter -t</c> enters), else null.</summary>
    public async Task<int?> PidAsync(string id, CancellationToken ct)
    {
        try
        {
            var r = await docker.Containers.InspectContainerAsync(id, ct);
            return r.State is { Running: true, Pid: > 0 } s ? (int)s.Pid : null;
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
    }
}
