using System.Diagnostics;
using Xunit;

namespace Platform.Testing;

/// <summary>
/// npm packages installed unchanged from the npm registry into a temp folder once per fixture (the registry is reachable
/// on the build machines and in CI), and node scripts run against them: how the tests drive other people's clients
/// (eureka-js-client, cloud-config-client, kafkajs).
/// </summary>
public abstract class NodePackages(params string[] packages) : IAsyncLifetime
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "platform-npm-" + Guid.NewGuid().ToString("N"));

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        await File.WriteAllTextAsync(Path.Combine(Folder, "package.json"), """{ "name": "platform-compat", "version": "1.0.0", "private": true }""");
        var result = await RunAsync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", .. packages], TimeSpan.FromMinutes(3));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"npm install {string.Join(' ', packages)} failed ({result.ExitCode}): {result.Stderr}{result.Stdout}");
    }

    /// <summary>Writes <paramref name="script"/> into the folder (so <c>require</c> finds the packages) and runs it with node.</summary>
    public async Task<NodeResult> RunScriptAsync(string name, string script, IEnumerable<string> args, TimeSpan timeout)
    {
        var path = Path.Combine(Folder, name);
        if (!File.Exists(path)) await File.WriteAllTextAsync(path, script);
        return await RunAsync("node", [path, .. args], timeout);
    }

    /// <summary>Runs a process in the folder; kills it and throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task<NodeResult> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NODE_PATH"] = Path.Combine(Folder, "node_modules");
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {timeout.TotalSeconds:0}s; stderr: {await stderr}");
        }
        return new NodeResult(process.ExitCode, await stdout, await stderr);
    }

    public virtual Task DisposeAsync()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}

/// <summary>What a process run by <see cref="NodePackages"/> printed and how it exited.</summary>
public sealed record NodeResult(int ExitCode, string Stdout, string Stderr);
