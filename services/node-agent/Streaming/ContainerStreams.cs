using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;
using Platform.NodeAgent.Api;
using Platform.RemoteCommand;

namespace Platform.NodeAgent.Streaming;

/// <summary>
/// Serves one exec or attach: finds the pod's container, starts the Docker exec (or attaches), and only then accepts
/// the WebSocket, so every failure before the stream exists is an HTTP problem the apiserver passes on; the exit code
/// comes from Docker's exec inspection.
/// </summary>
internal sealed partial class ContainerStreams(
    DockerClient docker, ContainerLogReader containers, ExecProcessKiller killer, IOptions<NodeAgentOptions> options, ILogger<ContainerStreams> log) : IDisposable
{
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstSizeWait = TimeSpan.FromSeconds(1);
    private readonly OpenStreams _open = new();

    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Ends every stream (each writes its Status and closes) and completes once none is open (<see cref="StreamingShutdown"/>).</summary>
    public async Task ShutdownAsync(CancellationToken ct)
    {
        await _stopping.CancelAsync();
        await _open.DrainAsync(ct);
    }

    public async Task<IResult> ServeAsync(HttpContext ctx, string ns, string pod, string container, bool exec, CancellationToken ct)
    {
        StreamQuery q;
        try
        {
            q = StreamQuery.Parse(ctx.Request.Query, exec);
        }
        catch (FormatException ex)
        {
            return KubeletAuthFilter.Problem(400, "BadRequest", ex.Message);
        }
        if (!exec && (q.Stdin || q.Tty))
            return KubeletAuthFilter.Problem(400, "BadRequest", $"{(q.Stdin ? "stdin" : "tty")}: containers run without an open stdin or a tty here; attach streams their output only");
        var (protocol, refusal) = StreamProtocol.ForUpgrade(ctx.WebSockets.IsWebSocketRequest, ctx.Request.Headers.Upgrade, ctx.WebSockets.WebSocketRequestedProtocols);
        if (protocol is null) return KubeletAuthFilter.Problem(400, "BadRequest", refusal!);

        var (id, status, reason) = await containers.FindAsync(ns, pod, container, q.PodUid, previous: false, ct);
        if (id is null) return KubeletAuthFilter.Problem(status, status == 404 ? "NotFound" : "BadRequest", reason!);
        MultiplexedStream? stream = null;
        string? execId = null;
        try
        {
            var inspected = await docker.Containers.InspectContainerAsync(id, ct);
            if (inspected.State?.Running != true)
                return KubeletAuthFilter.Problem(400, "BadRequest", $"container \"{container}\" in pod \"{pod}\" is not running");
            if (exec)
            {
                execId = (await docker.Exec.ExecCreateContainerAsync(id, new ContainerExecCreateParameters
                {
                    Cmd = [.. q.Command], AttachStdin = q.Stdin, AttachStdout = q.Stdout, AttachStderr = q.Stderr, Tty = q.Tty,
                }, ct)).ID;
                // A terminal's command starts once the caller's first resize is in (below), so it starts at that size.
                if (!q.Tty) stream = await docker.Exec.StartAndAttachContainerExecAsync(execId, tty: false, ct);
            }
            else
            {
                stream = await docker.Containers.AttachContainerAsync(id, tty: false,
                    new ContainerAttachParameters { Stream = true, Stdout = q.Stdout, Stderr = q.Stderr }, ct);
            }
        }
        catch (DockerContainerNotFoundException)
        {
            return KubeletAuthFilter.Problem(404, "NotFound", $"container \"{container}\" in pod \"{pod}\" was removed");
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            return KubeletAuthFilter.Problem(400, "BadRequest", $"container \"{container}\" in pod \"{pod}\" is not running");
        }
        catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException or TimeoutException)
        {
            return KubeletAuthFilter.Problem(503, "ServiceUnavailable", $"the container runtime did not answer: {ex.Message}");
        }

        using var socket = await ctx.WebSockets.AcceptWebSocketAsync(protocol);
        using var pump = new RemoteCommandPump(socket, protocol, options.Value.StreamingConnectionIdleTimeout, log);
        using var open = _open.Enter();
        if (stream is null)
        {
            // Docker before API 1.42 takes no initial console size, but holds a resize sent before the start until the
            // process exists and applies it then: the first size (kubectl sends its window's at once) lands a moment
            // after the command started, as with kubelet's runtimes; a command that reads the size at once may see 0x0.
            var size = await pump.FirstSizeAsync(FirstSizeWait, ct);
            var resized = size is { } first ? ResizeAsync(execId!, first, ct) : Task.CompletedTask;
            try
            {
                stream = await docker.Exec.StartAndAttachContainerExecAsync(execId!, tty: true, ct);
            }
            catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException or TimeoutException)
            {
                await resized;
                await pump.FinishAsync(RemoteCommandStatus.Failure($"the container runtime could not start the command: {ex.Message}"), ct);
                return TypedResults.Empty;
            }
            await resized;
        }
        using (stream)
        {
            // A stopping agent ends its streams at once (the caller hears why) rather than holding its shutdown.
            var ended = await pump.RunAsync(stream, q, (size, token) => ResizeAsync(execId!, size, token), _stopping.Token, ct);
            var why = _stopping.IsCancellationRequested ? $"the node agent of node \"{options.Value.NodeName}\" is shutting down" : "the stream ended";
            byte[] final;
            if (execId is null)
                final = ended ? RemoteCommandStatus.Success() : RemoteCommandStatus.Failure($"{why} before the container did");
            else if (ended)
                final = await ExitStatusAsync(execId, ct);
            else
            {
                // The request's token may be cancelled already (the caller hung up): the cleanup gets its own time.
                using var cleanup = new CancellationTokenSource(ExitWait);
                await killer.KillAsync(execId, id, cleanup.Token);
                final = RemoteCommandStatus.Failure($"{why} before the command did; the command was stopped");
            }
            await pump.FinishAsync(final, ct);
        }
        return TypedResults.Empty;
    }

    /// <summary>The exec's exit code: Docker may report it running for a moment after its output ended.</summary>
    private async Task<byte[]> ExitStatusAsync(string execId, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + ExitWait;
        while (true)
        {
            var inspected = await docker.Exec.InspectContainerExecAsync(execId, ct);
            if (!inspected.Running) return inspected.ExitCode == 0 ? RemoteCommandStatus.Success() : RemoteCommandStatus.ExitCode(inspected.ExitCode);
            if (DateTimeOffset.UtcNow > deadline) return RemoteCommandStatus.Failure("the command's output ended but Docker still reports it running");
            await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
        }
    }

    private async Task ResizeAsync(string execId, TerminalSize size, CancellationToken ct)
    {
        if (size.Width == 0 || size.Height == 0) return;
        try
        {
            await docker.Exec.ResizeContainerExecTtyAsync(execId, new ContainerResizeParameters { Width = size.Width, Height = size.Height }, ct);
        }
        catch (DockerApiException ex)
        {
            ResizeFailed(execId, ex.Message); // a resize is a courtesy; the session goes on
        }
    }

    [LoggerMessage(EventId = 617, Level = LogLevel.Information, Message = "exec {Exec}: resize refused by Docker: {Error}")]
    private partial void ResizeFailed(string exec, string error);

    public void Dispose() => _stopping.Dispose();
}
