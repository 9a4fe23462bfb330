using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Platform.Bench.Chaos;

/// <summary>
/// Something the campaign kills: <see cref="KillAsync"/> is the crash (SIGKILL, no chance to flush or deregister),
/// <see cref="RestartAsync"/> what a supervisor does next, <see cref="WorksAsync"/> proof that it does its job again
/// (beyond the write load and the gateway traffic every phase watches).
/// </summary>
internal abstract class FaultTarget(string name, string fault)
{
    public string Name { get; } = name;
    public string Fault { get; } = fault;

    public abstract Task KillAsync(CancellationToken ct);
    public abstract Task RestartAsync(CancellationToken ct);
    public virtual Task<bool> WorksAsync(CancellationToken ct) => Task.FromResult(true);
    /// <summary>Objects a probe made, removed once the phase converged.</summary>
    public virtual Task CleanUpAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>SIGKILL, then wait until the process is gone, so a restart does not find it "still running".</summary>
    protected static async Task SigKillAsync(int pid, CancellationToken ct)
    {
        using (var process = Process.GetProcessById(pid)) process.Kill(entireProcessTree: false); // SIGKILL on Unix
        for (var waited = 0; Exists(pid); waited++)
        {
            if (waited > 200) throw new InvalidOperationException($"pid {pid} still exists 10 s after SIGKILL");
            await Task.Delay(50, ct);
        }
    }

    /// <summary>The kernel still has the process and it is not a zombie (a dying process keeps its /proc entry until torn down).</summary>
    private static bool Exists(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 1)..].TrimStart().StartsWith('Z');
        }
        catch (IOException) { return false; }
    }

    /// <summary><c>./platform start &lt;name&gt;</c>: the component again, with the configuration <c>up</c> gave it, waiting for its health check.</summary>
    protected static async Task StartAsync(PlatformEnvironment env, string component, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(Path.Combine(env.Root, "platform"), ["start", component])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        var output = process.StandardError.ReadToEndAsync(ct);
        await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"./platform start {component} exited {process.ExitCode}: {(await output).Trim()}");
    }
}

/// <summary>A component <c>./platform up</c> started: its pid file under <c>.platform/pids</c>.</summary>
internal class ComponentTarget(PlatformEnvironment env, string name, Func<CancellationToken, Task<bool>>? works = null, Func<CancellationToken, Task>? cleanUp = null)
    : FaultTarget(name, "kill -9")
{
    public override Task KillAsync(CancellationToken ct) =>
        SigKillAsync(int.Parse(File.ReadAllText(Path.Combine(env.State, "pids", Name + ".pid")).Trim(), CultureInfo.InvariantCulture), ct);

    public override Task RestartAsync(CancellationToken ct) => StartAsync(env, Name, ct);
    public override Task<bool> WorksAsync(CancellationToken ct) => works?.Invoke(ct) ?? Task.FromResult(true);
    public override Task CleanUpAsync(CancellationToken ct) => cleanUp?.Invoke(ct) ?? Task.CompletedTask;
}

/// <summary>The postmaster (its backends notice and exit); a restart replays the WAL.</summary>
internal sealed class PostgresTarget(PlatformEnvironment env) : FaultTarget("postgres", "kill -9 postmaster")
{
    public override Task KillAsync(CancellationToken ct) =>
        SigKillAsync(int.Parse(File.ReadLines(Path.Combine(env.State, "postgres", "data", "postmaster.pid")).First().Trim(), CultureInfo.InvariantCulture), ct);

    public override async Task RestartAsync(CancellationToken ct)
    {
        // Orphaned backends hold the shared memory until they notice the postmaster is gone; start once they left.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartAsync(env, "postgres", ct);
                return;
            }
            catch (InvalidOperationException) when (attempt < 20)
            {
                await Task.Delay(250, ct);
            }
        }
    }
}

/// <summary>One broker of the development Kafka cluster, taken down (connections refused) and brought back after <c>downtime</c>.</summary>
internal sealed class BrokerTarget(PlatformEnvironment env, int brokerId, TimeSpan downtime) : FaultTarget($"kafka broker {brokerId}", $"down {downtime.TotalSeconds:0} s")
{
    public override Task KillAsync(CancellationToken ct) => SendAsync($"down {brokerId}", ct);

    public override async Task RestartAsync(CancellationToken ct)
    {
        await Task.Delay(downtime, ct);
        await SendAsync($"up {brokerId}", ct);
    }

    private async Task SendAsync(string command, CancellationToken ct)
    {
        var port = int.Parse(await File.ReadAllTextAsync(Path.Combine(env.State, "kafka", "control"), ct), CultureInfo.InvariantCulture);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, ct);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\n"), ct);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var reply = await reader.ReadLineAsync(ct);
        if (reply != "ok") throw new InvalidOperationException($"dev-broker control '{command}': {reply}");
    }
}
