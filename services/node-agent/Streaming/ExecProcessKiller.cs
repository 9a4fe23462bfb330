using System.ComponentModel;
using System.Diagnostics;
using Docker.DotNet;

namespace Platform.NodeAgent.Streaming;

/// <summary>
/// Ends an exec whose caller went away, as the CRI runtimes kill an exec when its stream ends. Docker has no API to
/// stop an exec, so its process is killed by the host pid Docker reports, and only when <c>/proc</c> shows that pid in
/// the container's cgroup: an agent that does not share dockerd's pid namespace never signals a stranger.
/// </summary>
internal sealed partial class ExecProcessKiller(DockerClient docker, ILogger<ExecProcessKiller> log)
{
    public async Task KillAsync(string execId, string containerId, CancellationToken ct)
    {
        var exec = await docker.Exec.InspectContainerExecAsync(execId, ct);
        if (!exec.Running || exec.Pid <= 0) return;
        string cgroup;
        try
        {
            cgroup = await File.ReadAllTextAsync($"/proc/{exec.Pid}/cgroup", ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            NotKilled(execId, exec.Pid, $"/proc/{exec.Pid} is not readable here ({ex.Message})");
            return;
        }
        if (!cgroup.Contains(containerId, StringComparison.Ordinal))
        {
            NotKilled(execId, exec.Pid, "the pid is not in the container's cgroup as this agent sees it");
            return;
        }
        try
        {
            using var process = Process.GetProcessById((int)exec.Pid);
            process.Kill(entireProcessTree: true);
            Killed(execId, exec.Pid);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception)
        {
            // It exited between the inspection and the signal.
        }
    }

    [LoggerMessage(EventId = 615, Level = LogLevel.Information, Message = "exec {Exec}: caller gone, killed its process {Pid}")]
    private partial void Killed(string exec, long pid);

    [LoggerMessage(EventId = 616, Level = LogLevel.Warning, Message = "exec {Exec}: caller gone, its process {Pid} keeps running: {Reason}")]
    private partial void NotKilled(string exec, long pid, string reason);
}
