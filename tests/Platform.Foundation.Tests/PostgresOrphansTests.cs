using System.Diagnostics;
using Platform.Testing;

namespace Platform.Foundation.Tests;

/// <summary>A test Postgres whose process died is stopped and removed by the next fixture; a live owner's is kept.</summary>
public sealed class PostgresOrphansTests : IDisposable
{
    private const string BinDir = "/usr/lib/postgresql/15/bin";
    private readonly string _root = Directory.CreateTempSubdirectory("pg-orphans-").FullName;

    public PostgresOrphansTests()
    {
        // The postgres user reaches its data directory through it.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }

    [Fact]
    public async Task AServerWhoseOwnerIsGone_IsStoppedAndRemoved_AndALiveOwnersIsKept()
    {
        var orphan = Path.Combine(_root, "platform-pg-orphan");
        var kept = Path.Combine(_root, "platform-pg-kept");
        // The owner file of a test process that has exited.
        using var gone = Process.Start("true")!;
        await gone.WaitForExitAsync();
        await File.WriteAllTextAsync(orphan + ".owner", $"{gone.Id} 1");
        var postmaster = await StartServerAsync(orphan);
        PostgresOrphans.Claim(kept);
        Directory.CreateDirectory(kept);

        var reaped = await PostgresOrphans.ReapAsync(_root, BinDir);

        Assert.Equal([orphan], reaped);
        Assert.False(Directory.Exists(orphan));
        Assert.False(File.Exists(orphan + ".owner"));
        Assert.False(Repo.Runs(postmaster), $"postmaster {postmaster} still runs");
        Assert.True(Directory.Exists(kept));
        PostgresOrphans.Release(kept);
    }

    /// <summary>initdb and pg_ctl start as the fixture does; returns the postmaster's pid.</summary>
    private static async Task<int> StartServerAsync(string dir)
    {
        Directory.CreateDirectory(dir);
        await Run("chown", $"postgres {dir}");
        await Run("runuser", $"-u postgres -- {BinDir}/initdb -D {dir} -A trust -U postgres --no-sync -E UTF8");
        await Run("runuser", $"-u postgres -- {BinDir}/pg_ctl -D {dir} -l {dir}/log -w -o \"-p {Platform.Testing.Network.FreeTcpPort()} -k {dir} -c listen_addresses=127.0.0.1\" start");
        return int.Parse(File.ReadLines(Path.Combine(dir, "postmaster.pid")).First());
    }

    private static async Task Run(string file, string args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var err = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"{file} {args}: {await err}");
    }

    public void Dispose()
    {
        foreach (var dir in Directory.EnumerateDirectories(_root))
            if (File.Exists(Path.Combine(dir, "postmaster.pid")))
                Process.Start("runuser", $"-u postgres -- {BinDir}/pg_ctl -D {dir} -m immediate stop")!.WaitForExit();
        Directory.Delete(_root, recursive: true);
    }
}
