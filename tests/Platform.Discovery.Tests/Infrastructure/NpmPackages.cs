using System.Diagnostics;

namespace Platform.Discovery.Tests.Infrastructure;

/// <summary>Installs npm packages once per test run into a temp folder (the npm registry is reachable in CI).</summary>
public sealed class NpmPackages : IAsyncLifetime
{
    public const string EurekaJsClient = "eureka-js-client@4.5.0";

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "platform-npm-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        await File.WriteAllTextAsync(Path.Combine(Folder, "package.json"), "{\"name\":\"discovery-compat\",\"private\":true}");
        var psi = new ProcessStartInfo("npm", $"install {EurekaJsClient} --no-audit --no-fund --loglevel=error")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var npm = Process.Start(psi)!;
        var stderr = npm.StandardError.ReadToEndAsync();
        _ = await npm.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await npm.WaitForExitAsync(timeout.Token);
        if (npm.ExitCode != 0) throw new InvalidOperationException($"npm install {EurekaJsClient} failed ({npm.ExitCode}): {await stderr}");
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}
