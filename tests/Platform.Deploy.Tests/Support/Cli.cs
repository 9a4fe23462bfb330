using System.Diagnostics;
using System.Text;

namespace Platform.Deploy.Tests.Support;

/// <summary>The outcome of a command line: exit code and what it printed.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public string Describe(string what) => $"{what} exited {ExitCode}\n--- stdout ---\n{Tail(Output)}\n--- stderr ---\n{Tail(Error)}";

    private static string Tail(string text) => text.Length <= 6000 ? text : "..." + text[^6000..];
}

/// <summary>Runs the repository's scripts and the docker / docker-compose clients against the fixture's engine.</summary>
internal static class Cli
{
    public static async Task<CliResult> RunAsync(string file, IEnumerable<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            // Waits for the exit and for the end of both redirected streams.
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // Either the command outlived its timeout, or it exited and something it started in the background still
            // holds its output open. Neither may hang the test: every later wait is bounded too.
            var exited = process.HasExited;
            if (!exited) process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
            error.AppendLine(exited
                ? $"exited {process.ExitCode}, but its output stayed open for {timeout.TotalSeconds:0}s (a background process holds it)"
                : $"killed after {timeout.TotalSeconds:0}s");
            return new CliResult(-1, Snapshot(output), Snapshot(error));
        }
        return new CliResult(process.ExitCode, Snapshot(output), Snapshot(error));
    }

    private static string Snapshot(StringBuilder text)
    {
        lock (text) return text.ToString();
    }
}
