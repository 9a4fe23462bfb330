using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Platform.Bench.Chaos;

/// <summary>
/// Something the campaign kills: <see cref="KillAsync"/> is the crash (SIGKILL, no chance to flush or deregister).
/// Processes are started again by the supervisor <c>./platform up --detach</c> leaves running, as Kubernetes' restart
/// policy would; <see cref="RecoverAsync"/> is only for faults that end by themselves (a broker back up).
/// <see cref="WorksAsync"/> is proof that it does its job again, beyond the write load and the gateway traffic every
/// phase watches.
/// </summary>
internal abstract class FaultTarget(string name, string fault)
{
    public string Name { get; } = name;
    public string Fault { get; } = fault;

    public abstract Task KillAsync(CancellationToken ct);
    public virtual Task RecoverAsync(CancellationToken ct) => Task.CompletedTask;
    public virtual Task<bool> WorksAsync(CancellationToken ct) => Task.FromResult(true);
    /// <summary>Objects a probe made, removed once the phase converged.</summary>
    public virtual Task CleanUpAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>The pid <c>./platform up</c> recorded for a component in <c>.platform/pids/{name}.pid</c>.</summary>
    protected static int PidOf(PlatformEnvironment env, string component) =>
        int.Parse(File.ReadAllText(Path.Combine(env.State, "pids", component + ".pid")).Trim(), CultureInfo.InvariantCulture);

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
}

/// <summary>A component <c>./platform up</c> started: its pid file under <c>.platform/pids</c>, its health URL from its conf.</summary>
internal class ComponentTarget(PlatformEnvironment env, string name, HttpClient health, Func<CancellationToken, Task<bool>>? works = null, Func<CancellationToken, Task>? cleanUp = null)
    : FaultTarget(name, "kill -9")
{
    private readonly Uri _health = HealthUrl(env, name);

    public override Task KillAsync(CancellationToken ct) => SigKillAsync(PidOf(env, Name), ct);

    public override async Task<bool> WorksAsync(CancellationToken ct)
    {
        try
        {
            using var response = await health.GetAsync(_health, ct);
            if (!response.IsSuccessStatusCode) return false;
        }
        catch (HttpRequestException) { return false; }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { return false; }
        return works is null || await works(ct);
    }

    /// <summary><c>URL=</c> plus <c>HEALTH=</c> of <c>deploy/local/components[-ha]/NN-name.conf</c>.</summary>
    internal static Uri HealthUrl(PlatformEnvironment env, string name)
    {
        var conf = new[] { "components", "components-ha" }.SelectMany(d => Directory.GetFiles(Path.Combine(env.Root, "deploy", "local", d), $"??-{name}.conf")).Single();
        var lines = File.ReadAllLines(conf);
        string Value(string key, string fallback) => lines.FirstOrDefault(l => l.StartsWith(key + "=", StringComparison.Ordinal))?[(key.Length + 1)..].Trim() ?? fallback;
        return new Uri(Value("URL", "") + Value("HEALTH", "/healthz"));
    }
    public override Task CleanUpAsync(CancellationToken ct) => cleanUp?.Invoke(ct) ?? Task.CompletedTask;
}

/// <summary>
/// The replica of <c>name</c> / <c>name-2</c> (<c>./platform up --ha</c>) that leads its election when the fault
/// strikes, found by client-go's <c>leader_election_master_status</c> on its <c>/metrics</c>.
/// </summary>
internal sealed class LeaderTarget(PlatformEnvironment env, string name, HttpClient health, Func<CancellationToken, Task<bool>> works, Func<CancellationToken, Task> cleanUp)
    : FaultTarget(name + " (leader)", "kill -9")
{
    public override async Task KillAsync(CancellationToken ct)
    {
        foreach (var replica in new[] { name, name + "-2" })
        {
            var metrics = new Uri(ComponentTarget.HealthUrl(env, replica), "/metrics");
            string text;
            try { text = await health.GetStringAsync(metrics, ct); }
            catch (HttpRequestException) { continue; }
            if (!text.Split('\n').Any(l => l.StartsWith("leader_election_master_status{", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal))) continue;
            await SigKillAsync(PidOf(env, replica), ct);
            return;
        }
        throw new InvalidOperationException($"neither {name} nor {name}-2 says it leads (leader_election_master_status)");
    }

    public override Task<bool> WorksAsync(CancellationToken ct) => works(ct);
    public override Task CleanUpAsync(CancellationToken ct) => cleanUp(ct);
}

/// <summary>The postmaster (its backends notice and exit); a restart replays the WAL.</summary>
internal sealed class PostgresTarget(PlatformEnvironment env) : FaultTarget("postgres", "kill -9 postmaster")
{
    public override Task KillAsync(CancellationToken ct) =>
        SigKillAsync(int.Parse(File.ReadLines(Path.Combine(env.State, "postgres", "data", "postmaster.pid")).First().Trim(), CultureInfo.InvariantCulture), ct);

}

/// <summary>One broker of the development Kafka cluster, taken down (connections refused) and brought back after <c>downtime</c>.</summary>
internal sealed class BrokerTarget(PlatformEnvironment env, int brokerId, TimeSpan downtime) : FaultTarget($"kafka broker {brokerId}", $"down {downtime.TotalSeconds:0} s")
{
    public override Task KillAsync(CancellationToken ct) => SendAsync($"down {brokerId}", ct);

    public override async Task RecoverAsync(CancellationToken ct)
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
