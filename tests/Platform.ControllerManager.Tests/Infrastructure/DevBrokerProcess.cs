using System.Diagnostics;
using Platform.Testing;

namespace Platform.ControllerManager.Tests.Infrastructure;

/// <summary>The development broker (its built Platform.DevBroker.dll) as a process: a mock cluster of its own and its control port, as <c>./platform up</c> runs it.</summary>
public sealed class DevBrokerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _dir;

    private DevBrokerProcess(Process process, DirectoryInfo dir, string bootstrap)
    {
        _process = process;
        _dir = dir;
        BootstrapServers = bootstrap;
    }

    public string BootstrapServers { get; }

    /// <summary>The file holding the control port (<c>--control-file</c>).</summary>
    public string ControlFile => Path.Combine(_dir.FullName, "control");

    public static async Task<DevBrokerProcess> StartAsync()
    {
        var dll = RepoPaths.BuiltDll(Path.Combine("services", "dev-broker"), "Platform.DevBroker.dll");
        var state = Directory.CreateTempSubdirectory("dev-broker-");
        var bootstrapFile = Path.Combine(state.FullName, "bootstrap");
        var psi = new ProcessStartInfo("dotnet", [dll, "--bootstrap-file", bootstrapFile, "--control-file", Path.Combine(state.FullName, "control")])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        static async Task<string?> ReadAsync(string file) => File.Exists(file) && (await File.ReadAllTextAsync(file)).Trim() is { Length: > 0 } text ? text : null;
        try
        {
            var bootstrap = await Eventually.WaitAsync(async () => await ReadAsync(Path.Combine(state.FullName, "control")) is null ? null : await ReadAsync(bootstrapFile),
                TimeSpan.FromSeconds(60), "the dev broker's bootstrap and control files");
            return new DevBrokerProcess(process, state, bootstrap);
        }
        catch
        {
            await new DevBrokerProcess(process, state, "").DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _dir.Delete(recursive: true);
    }
}
