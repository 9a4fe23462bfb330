using Xunit;
using System.Diagnostics;
using Npgsql;

namespace Platform.Testing;

/// <summary>
/// A real PostgreSQL 15 server. <c>./platform test</c> starts one for the whole run and passes its
/// admin connection string in <c>PLATFORM_TEST_DATABASE_URL</c>; run alone (an IDE), the fixture runs
/// <c>initdb</c> as the <c>postgres</c> user into a temp folder and starts its own on a free loopback port.
/// Each test gets its own database from <see cref="CreateDatabaseAsync"/>. <c>wal_level=logical</c>, for the CDC connector's
/// replication slots (their names are cluster-wide: each test picks its own). A server left running by a process that
/// died is stopped by the next fixture (<see cref="PostgresOrphans"/>). <see cref="Settings"/> are passed to a server started
/// here; a shared server is used as it is.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private const string BinDir = "/usr/lib/postgresql/15/bin";
    private string? _dataDir;
    private int _port;

    public string AdminConnectionString { get; private set; } = "";

    /// <summary>Server settings (<c>name=value</c>) for a server started here: a benchmark's <c>shared_preload_libraries</c>.</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];

    public async Task InitializeAsync()
    {
        var shared = Environment.GetEnvironmentVariable("PLATFORM_TEST_DATABASE_URL");
        if (!string.IsNullOrWhiteSpace(shared))
        {
            AdminConnectionString = shared;
            return;
        }
        await PostgresOrphans.ReapAsync(Path.GetTempPath(), BinDir);
        _port = Network.FreeTcpPort();
        _dataDir = Path.Combine(Path.GetTempPath(), "platform-pg-" + Guid.NewGuid().ToString("N"));
        PostgresOrphans.Claim(_dataDir);
        Directory.CreateDirectory(_dataDir);
        await ProcessRunner.RunAsync("chown", $"postgres {_dataDir}");
        await ProcessRunner.RunAsync("runuser", $"-u postgres -- {BinDir}/initdb -D {_dataDir} -A trust -U postgres --no-sync -E UTF8");
        await ProcessRunner.RunAsync("runuser",
            $"-u postgres -- {BinDir}/pg_ctl -D {_dataDir} -l {_dataDir}/log -w -o \"-p {_port} -k {_dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300 -c wal_level=logical -c max_replication_slots=40 -c max_wal_senders=40{string.Concat(Settings.Select(x => " -c " + x))}\" start");
        AdminConnectionString = $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres";
    }

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 17, 63)].ToLowerInvariant();
        await using (var conn = new NpgsqlConnection(AdminConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_dataDir is null) return;
        await ProcessRunner.RunAsync("runuser", $"-u postgres -- {BinDir}/pg_ctl -D {_dataDir} -m immediate stop", throwOnError: false);
        try
        {
            Directory.Delete(_dataDir, recursive: true);
            PostgresOrphans.Release(_dataDir);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

internal static class ProcessRunner
{
    public static async Task<string> RunAsync(string file, string args, bool throwOnError = true)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (throwOnError && p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {args} exited {p.ExitCode}: {await stderr}{await stdout}");
        return await stdout;
    }
}
