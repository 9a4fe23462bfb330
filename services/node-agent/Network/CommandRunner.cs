using System.Diagnostics;

namespace Platform.NodeAgent.Network;

/// <summary>Runs <c>ip</c>, <c>nsenter</c>, <c>nft</c>: a non-zero exit becomes an exception carrying the command and its stderr.</summary>
internal sealed class CommandRunner
{
    public async Task<string> RunAsync(string file, IReadOnlyList<string> args, string? stdin = null, CancellationToken ct = default)
    {
        var (code, stdout, stderr) = await TryRunAsync(file, args, stdin, ct);
        if (code != 0) throw new PodNetworkException($"{file} {string.Join(' ', args)}: exit {code}: {stderr.Trim()}");
        return stdout;
    }

    public async Task<(int Code, string Stdout, string Stderr)> TryRunAsync(string file, IReadOnlyList<string> args, string? stdin = null, CancellationToken ct = default)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new PodNetworkException($"{file}: could not start");
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin.AsMemory(), ct);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Whether <paramref name="file"/> is on the PATH.</summary>
    public static bool Exists(string file) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':').Append("/usr/sbin").Append("/sbin")
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, file)));
}
