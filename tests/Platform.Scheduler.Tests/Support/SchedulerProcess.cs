using System.Collections.Concurrent;
using System.Diagnostics;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Scheduler.Tests.Support;

/// <summary>The scheduler as a real OS process (its built Platform.Scheduler.dll), so a test can kill -9 it.</summary>
internal sealed class SchedulerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SchedulerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }
    public string Output => string.Join('\n', _output);
    public bool HasExited => _process.HasExited;

    public static SchedulerProcess Start(ApiServerHost api, KafkaFixture kafka, string token, long lockKey)
    {
        var dir = Path.Combine(RepoRoot(), "services", "scheduler", "bin", "Debug", "net10.0");
        var address = new Uri($"http://127.0.0.1:{Network.FreeTcpPort()}");
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(dir, "Platform.Scheduler.dll")])
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["Urls"] = address.ToString();
        psi.Environment["Kafka__BootstrapServers"] = kafka.BootstrapServers;
        psi.Environment["Scheduler__ApiServerUrl"] = api.BaseAddress.ToString();
        psi.Environment["Scheduler__Token"] = token;
        psi.Environment["Scheduler__TopicPrefix"] = api.TopicPrefix;
        psi.Environment["Scheduler__LeaderElection__ConnectionString"] = api.ConnectionString;
        psi.Environment["Scheduler__LeaderElection__LockKey"] = lockKey.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["Scheduler__LeaderElection__RetryPeriod"] = "00:00:00.500";
        return new SchedulerProcess(Process.Start(psi)!, address);
    }

    public Task WaitForLogAsync(string text, TimeSpan timeout) =>
        Eventually.WaitAsync(() => _output.Any(l => l.Contains(text, StringComparison.Ordinal)), timeout, $"'{text}' in the scheduler's log:\n{Output}");

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.WaitAsync(async () => (await http.GetAsync("/readyz")).IsSuccessStatusCode, timeout, "scheduler /readyz");
    }

    /// <summary>SIGKILL: no shutdown hooks, no lease release; only the closed socket tells Postgres.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited) KillHard();
        _process.Dispose();
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "services", "scheduler", "Platform.Scheduler.csproj"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
