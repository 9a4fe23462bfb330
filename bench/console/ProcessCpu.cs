using System.Globalization;

namespace Platform.Bench.Console;

/// <summary>
/// CPU time a process has used (user + system, from <c>/proc/PID/stat</c>), so a page's cost can be told apart from
/// the time it waited for a core on a busy machine. The process is found by a word of its command line.
/// </summary>
internal sealed class ProcessCpu(int pid)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static ProcessCpu? Find(string commandLineWord)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var words = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (words.Length > 1 && words[0].EndsWith("dotnet", StringComparison.Ordinal) && words[1] == commandLineWord) return new ProcessCpu(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return null;
    }

    /// <summary>Milliseconds of CPU used so far.</summary>
    public double Milliseconds()
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name (which may hold spaces) start after the last ')': state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * 1000 / TicksPerSecond;
    }
}
