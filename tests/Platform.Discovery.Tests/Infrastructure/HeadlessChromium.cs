using System.Diagnostics;

namespace Platform.Discovery.Tests.Infrastructure;

/// <summary>
/// Headless Chromium for page tests. Installed with apt when the machine has none (CI runs as root on Debian).
/// </summary>
public sealed class HeadlessChromium : IAsyncLifetime
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    public string Executable { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var found = Candidates.FirstOrDefault(File.Exists);
        if (found is null)
        {
            await RunAsync("apt-get", "update -qq", TimeSpan.FromMinutes(5));
            await RunAsync("apt-get", "install -y -qq chromium", TimeSpan.FromMinutes(10));
            found = Candidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException("chromium not found after apt-get install chromium");
        }
        Executable = found;
    }

    /// <summary>Loads <paramref name="url"/> and returns the DOM after scripts ran (<c>--dump-dom</c>).</summary>
    public async Task<string> DumpDomAsync(Uri url)
    {
        var profile = Path.Combine(Path.GetTempPath(), "chromium-" + Guid.NewGuid().ToString("N"));
        try
        {
            return await RunAsync(Executable,
                $"--headless --no-sandbox --disable-gpu --disable-background-networking --disable-dev-shm-usage --no-first-run --user-data-dir={profile} --dump-dom {url}",
                TimeSpan.FromSeconds(60));
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<string> RunAsync(string file, string args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {timeout.TotalSeconds} s");
        }
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} exited {p.ExitCode}: {await stderr}");
        return await stdout;
    }
}
