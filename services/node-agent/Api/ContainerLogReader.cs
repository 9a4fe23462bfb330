using System.Buffers;
using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;
using Platform.NodeAgent.Runtime;

namespace Platform.NodeAgent.Api;

/// <summary>
/// Finds a pod's container (current, or the previous one kept after a restart) by the labels the agent puts on
/// every container, and copies its Docker log stream (stdout and stderr demultiplexed) to the response.
/// </summary>
internal sealed class ContainerLogReader(DockerClient docker, IOptions<NodeAgentOptions> options, TimeProvider time)
{
    /// <summary>
    /// The container's id, or the status and reason why there is none. With <paramref name="podUid"/> only that pod's
    /// containers count; otherwise those of the newest pod of that name.
    /// </summary>
    public async Task<(string? Id, int Status, string? Error)> FindAsync(string ns, string pod, string container, string? podUid, bool previous, CancellationToken ct)
    {
        var found = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = ContainerLabels.PodFilter(options.Value.NodeName, ns, pod, podUid, container),
        }, ct);
        if (found.Count == 0)
            return (null, 404, $"container \"{container}\" in pod \"{pod}\" is not present on node \"{options.Value.NodeName}\" (not started yet, or removed)");
        var uid = found.OrderByDescending(c => c.Created).First().Labels[ContainerLabels.PodUid];
        var byRestart = found.Where(c => c.Labels[ContainerLabels.PodUid] == uid).OrderByDescending(RestartCount).ToList();
        if (!previous) return (byRestart[0].ID, 200, null);
        return byRestart.Count > 1
            ? (byRestart[1].ID, 200, null)
            : (null, 400, $"previous terminated container \"{container}\" in pod \"{pod}\" not found");
    }

    private static int RestartCount(ContainerListResponse c) =>
        int.TryParse(c.Labels.TryGetValue(ContainerLabels.RestartCount, out var v) ? v : null, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>
    /// Copies the log to <paramref name="output"/>, flushing after every chunk Docker sends. With follow, Docker ends
    /// the stream when the container stops; a client that goes away cancels <paramref name="ct"/>.
    /// </summary>
    public async Task CopyAsync(string id, LogQuery q, Stream output, CancellationToken ct)
    {
        var parameters = new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Follow = q.Follow,
            Timestamps = q.Timestamps,
            Tail = q.TailLines?.ToString(CultureInfo.InvariantCulture) ?? "all",
            Since = q.SinceSeconds is { } s ? (time.GetUtcNow().ToUnixTimeSeconds() - s).ToString(CultureInfo.InvariantCulture) : null,
        };
        using var stream = await docker.Containers.GetContainerLogsAsync(id, tty: false, parameters, ct);
        // A read blocked on a quiet followed container must end when the client leaves, whatever the transport does with the token.
        await using var abort = ct.Register(stream.Dispose);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            // Docker sends a frame per line: frames already buffered are batched into one write, and whatever is
            // held is flushed before waiting, so a busy log is not a flush per line and a quiet follow shows each line at once.
            var filled = 0;
            while (true)
            {
                var pending = stream.ReadOutputAsync(buffer, filled, buffer.Length - filled, ct);
                var flushed = false;
                if (!pending.IsCompleted && filled > 0)
                {
                    await output.WriteAsync(buffer.AsMemory(0, filled), ct);
                    await output.FlushAsync(ct);
                    flushed = true;
                }
                var read = await pending;
                if (flushed)
                {
                    buffer.AsSpan(filled, read.Count).CopyTo(buffer);
                    filled = 0;
                }
                filled += read.Count;
                if (read.EOF || filled == buffer.Length)
                {
                    if (filled > 0) await output.WriteAsync(buffer.AsMemory(0, filled), ct);
                    await output.FlushAsync(ct);
                    filled = 0;
                    if (read.EOF) return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
