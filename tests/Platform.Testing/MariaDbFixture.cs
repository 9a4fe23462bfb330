using System.Diagnostics;
using MySqlConnector;
using Xunit;

namespace Platform.Testing;

/// <summary>
/// A real MariaDB server (Debian's <c>mariadb-server</c>). With <c>PLATFORM_TEST_MARIADB_URL</c> set (a
/// <c>jdbc:mariadb://host:port/?user=root</c> URL) the tests use that server; otherwise the fixture initialises a data
/// folder in a temp dir and starts its own <c>mariadbd</c> on a free loopback port, stopped and removed at the end.
/// Each test gets its own database from <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class MariaDbFixture : IAsyncLifetime
{
    private string? _dataDir;
    private Process? _server;

    public string Host { get; private set; } = "127.0.0.1";
    public int Port { get; private set; }
    public string User { get; private set; } = "root";

    public async Task InitializeAsync()
    {
        var shared = Environment.GetEnvironmentVariable("PLATFORM_TEST_MARIADB_URL");
        if (!string.IsNullOrWhiteSpace(shared))
        {
            var uri = new Uri(shared["jdbc:".Length..]);
            (Host, Port) = (uri.Host, uri.Port);
            return;
        }
        if (!File.Exists("/usr/sbin/mariadbd"))
            throw new InvalidOperationException("mariadbd not found: apt-get install -y mariadb-server (./platform up installs it)");
        Port = Network.FreeTcpPort();
        _dataDir = Path.Combine(Path.GetTempPath(), "platform-mariadb-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dataDir);
        await ProcessRunner.RunAsync("chown", $"mysql:mysql {_dataDir}");
        await ProcessRunner.RunAsync("mariadb-install-db",
            $"--no-defaults --datadir={_dataDir}/data --user=mysql --auth-root-authentication-method=normal --skip-test-db");
        _server = Process.Start(new ProcessStartInfo("/usr/sbin/mariadbd",
            $"--no-defaults --datadir={_dataDir}/data --user=mysql --port={Port} --bind-address=127.0.0.1 --socket={_dataDir}/mariadb.sock " +
            $"--pid-file={_dataDir}/mariadb.pid --log-error={_dataDir}/error.log --skip-name-resolve --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0")
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        await Eventually.WaitAsync(async () =>
        {
            if (_server.HasExited) throw new InvalidOperationException("mariadbd exited: " + await File.ReadAllTextAsync($"{_dataDir}/error.log"));
            await using var conn = new MySqlConnection(AdminConnectionString(""));
            await conn.OpenAsync();
            return true;
        }, TimeSpan.FromSeconds(60), "mariadbd to accept connections");
    }

    public string AdminConnectionString(string database) =>
        new MySqlConnectionStringBuilder { Server = Host, Port = (uint)Port, UserID = User, Database = database, Pooling = false }.ConnectionString;

    /// <summary>Creates an empty database with a unique name; returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 17, 63)].ToLowerInvariant();
        await ExecuteAsync("", $"CREATE DATABASE `{name}`");
        return name;
    }

    /// <summary>The JDBC URL of <paramref name="database"/>, as a connector configuration names it.</summary>
    public string JdbcUrl(string database) => $"jdbc:mariadb://{Host}:{Port}/{database}?user={User}";

    public async Task ExecuteAsync(string database, string sql)
    {
        await using var conn = new MySqlConnection(AdminConnectionString(database));
        await conn.OpenAsync();
        await using var cmd = new MySqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            if (!_server.HasExited)
            {
                _server.Kill();
                await _server.WaitForExitAsync();
            }
            _server.Dispose();
        }
        if (_dataDir is null) return;
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
