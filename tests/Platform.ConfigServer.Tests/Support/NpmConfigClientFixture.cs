using System.Diagnostics;
using System.Text.Json;

namespace Platform.ConfigServer.Tests.Support;

/// <summary>
/// The npm <c>cloud-config-client</c>, installed unchanged from the npm registry into a temp folder once per
/// test run, and driven by a small node script that prints the properties the client computed.
/// </summary>
public sealed class NpmConfigClientFixture : IAsyncLifetime
{
    private const string PackageVersion = "cloud-config-client@1.6.2";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "npm-ccc-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        await File.WriteAllTextAsync(Path.Combine(_dir, "package.json"), """{ "name": "ccc-test", "version": "1.0.0", "private": true }""");
        await File.WriteAllTextAsync(Path.Combine(_dir, "load.js"), """
            const client = require('cloud-config-client');
            const options = JSON.parse(process.argv[2]);
            client.load(options)
              .then(config => { process.stdout.write(JSON.stringify({ properties: config.properties })); })
              .catch(err => { process.stderr.write(String(err && err.stack || err)); process.exit(2); });
            """);
        var (code, output) = await RunAsync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", PackageVersion], TimeSpan.FromMinutes(3));
        if (code != 0) throw new InvalidOperationException($"npm install {PackageVersion} failed ({code}): {output}");
    }

    /// <summary>Loads configuration with the npm client and returns its merged properties.</summary>
    public async Task<JsonElement> LoadAsync(Uri endpoint, string name, string profiles, string? label = null)
    {
        var options = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["endpoint"] = endpoint.ToString().TrimEnd('/'),
            ["name"] = name,
            ["profiles"] = profiles,
            ["label"] = label,
            ["auth"] = new Dictionary<string, string> { ["user"] = ConfigServerHost.User, ["pass"] = ConfigServerHost.Password },
        });
        var (code, output) = await RunAsync("node", ["load.js", options], TimeSpan.FromSeconds(60));
        if (code != 0) throw new InvalidOperationException($"node cloud-config-client exited {code}: {output}");
        return JsonDocument.Parse(output).RootElement.GetProperty("properties");
    }

    private async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
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
            throw new TimeoutException($"{file} did not finish within {timeout.TotalSeconds:0}s");
        }
        var output = await stdout;
        return (process.ExitCode, process.ExitCode == 0 ? output : output + await stderr);
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}
