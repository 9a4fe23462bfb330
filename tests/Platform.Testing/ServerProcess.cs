using System.Diagnostics;

namespace Platform.Testing;

/// <summary>
/// A platform service run as its own process (<c>dotnet SERVICE.dll</c>) on a loopback port, configured through
/// environment variables; started when its health path answers 2xx. Used by benchmarks that must not
/// share a process with their load generator.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<ServerProcess> StartAsync(string dll, int port, IDictionary<string, string> env,
        string healthPath = "readyz", TimeSpan? startTimeout = null)
    {
        var name = Path.GetFileNameWithoutExtension(dll);
        var timeout = startTimeout ?? TimeSpan.FromSeconds(90);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        // The content root is the test's output folder, whose appsettings.json may be another service's (the
        // scheduler's "Urls" in the controller-manager tests): the environment outranks it.
        psi.Environment["Urls"] = $"http://127.0.0.1:{port}";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var process = Process.Start(psi)!;
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"{name} exited {process.ExitCode}: {log}");
            try
            {
                if ((await probe.GetAsync(new Uri(server.BaseAddress, healthPath))).IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        await server.DisposeAsync();
        throw new TimeoutException($"{name} did not answer /{healthPath} within {timeout.TotalSeconds:0} s: {log}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
