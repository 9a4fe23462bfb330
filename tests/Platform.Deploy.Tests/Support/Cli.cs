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
                ? $"exited {process.ExitCode}, but its output stayed open for {timeout.TotalSeconds:0}s (a background process holds it: {PipeHolders()})"
                : $"killed after {timeout.TotalSeconds:0}s");
            return new CliResult(-1, Snapshot(output), Snapshot(error));
        }
        return new CliResult(process.ExitCode, Snapshot(output), Snapshot(error));
    }

    /// <summary>
    /// The other processes that hold one of this process's pipes (pid and command line, from /proc): after the command
    /// exited, whoever keeps its output open is among them, named so the next failure says what to fix.
    /// </summary>
    private static string PipeHolders()
    {
        try
        {
            static IEnumerable<string> Pipes(string pid) => Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")
                .Select(fd => { try { return new FileInfo(fd).LinkTarget; } catch (IOException) { return null; } catch (UnauthorizedAccessException) { return null; } })
                .OfType<string>().Where(t => t.StartsWith("pipe:", StringComparison.Ordinal));
            // Only the pipes this process made (the command's output): not the stdio it shares with its parent and
            // the parent's other children, such as a test runner's sibling projects.
            var stat = File.ReadAllText("/proc/self/stat");
            var parent = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1];
            var mine = Pipes("self").Except(Pipes(parent)).ToHashSet();
            var self = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var holders = new List<string>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                var pid = Path.GetFileName(dir);
                if (pid == self || !pid.All(char.IsAsciiDigit)) continue;
                try
                {
                    if (Pipes(pid).Any(mine.Contains))
                        holders.Add(pid + " " + File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim());
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // gone meanwhile, or not ours to read
                }
            }
            return holders.Count == 0 ? "none found" : string.Join("; ", holders.Take(10));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "/proc unreadable: " + e.Message;
        }
    }

    private static string Snapshot(StringBuilder text)
    {
        lock (text) return text.ToString();
    }
}
