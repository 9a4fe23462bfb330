using System.Globalization;

namespace Platform.Testing;

/// <summary>
/// Stops the test Postgres servers whose test process is gone. <see cref="PostgresFixture"/> starts its server
/// daemonized (<c>pg_ctl start</c>) and stops it in <c>DisposeAsync</c>, which a process that dies (a benchmark's
/// unhandled exception, a killed test host) never reaches: its server would run on, holding memory and a port. Each
/// fixture writes <c>platform-pg-ID.owner</c> beside its data directory before creating it (its pid and that process's
/// start time, so a reused pid is not taken for it); at start a fixture stops and removes the servers of owners that no
/// longer exist. A directory without an owner file (from before owners were written) is removed only when no server
/// runs in it or it is a day old, so a concurrent run of older code keeps its server.
/// </summary>
public static class PostgresOrphans
{
    private const string Prefix = "platform-pg-";
    private static readonly TimeSpan OwnerlessAge = TimeSpan.FromDays(1);

    /// <summary>Writes the owner file for <paramref name="dataDir"/>: this process.</summary>
    public static void Claim(string dataDir) =>
        File.WriteAllText(OwnerFile(dataDir), $"{Environment.ProcessId} {StartTime(Environment.ProcessId)}");

    public static void Release(string dataDir) => File.Delete(OwnerFile(dataDir));

    /// <summary>Stops and removes the orphaned servers under <paramref name="root"/> (the temp folder); returns their directories.</summary>
    public static async Task<IReadOnlyList<string>> ReapAsync(string root, string binDir)
    {
        var reaped = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories(root, Prefix + "*"))
        {
            var owner = OwnerFile(dir);
            var running = ServerRunning(dir);
            var orphan = File.Exists(owner)
                ? !OwnerAlive(File.ReadAllText(owner))
                : !running || DateTime.UtcNow - Directory.GetLastWriteTimeUtc(dir) > OwnerlessAge;
            if (!orphan) continue;
            if (running)
                await ProcessRunner.RunAsync("runuser", $"-u postgres -- {binDir}/pg_ctl -D {dir} -m immediate stop", throwOnError: false);
            try
            {
                Directory.Delete(dir, recursive: true);
                File.Delete(owner);
                reaped.Add(dir);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return reaped;
    }

    private static string OwnerFile(string dataDir) => dataDir.TrimEnd('/') + ".owner";

    private static bool OwnerAlive(string content)
    {
        var parts = content.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid)) return false;
        return StartTime(pid) is { } started && started == parts[1];
    }

    /// <summary>A server runs in the directory: its postmaster.pid names a live process.</summary>
    private static bool ServerRunning(string dir)
    {
        try
        {
            var first = File.ReadLines(Path.Combine(dir, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, CultureInfo.InvariantCulture, out var pid) && StartTime(pid) is not null;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    /// <summary>The process's start time in clock ticks since boot (field 22 of /proc/PID/stat), or null when it does not exist.</summary>
    private static string? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[0] == "Z" ? null : fields[19];
        }
        catch (IOException) { return null; }
    }
}
