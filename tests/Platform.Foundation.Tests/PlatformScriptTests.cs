using System.Diagnostics;
using Npgsql;

namespace Platform.Foundation.Tests;

/// <summary>
/// <c>./platform up --detach</c>, <c>status</c>, <c>env</c>, <c>down</c> and a second <c>up</c> on a private state folder,
/// as a user runs them. Services come from deploy/local/components, so every service that joins the
/// platform is started (and must become healthy) here too.
/// </summary>
public sealed class PlatformScriptTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "platform-state-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly int _pgPort = Platform.Testing.Network.FreeTcpPort();

    [Fact]
    public async Task UpStatusDownUp_StartsInfrastructure_AndSecondUpReusesTheDataFolder()
    {
        var up = await RunAsync("up --detach");
        Assert.True(up.ExitCode == 0, "up failed:\n" + up.Output);
        AssertRow(up.Output, "postgres", "healthy");
        AssertRow(up.Output, "kafka", "healthy");
        AssertRow(up.Output, "dockerd", "healthy");

        var status = await RunAsync("status");
        AssertRow(status.Output, "postgres", "healthy");
        AssertRow(status.Output, "kafka", "healthy");

        var env = (await RunAsync("env")).Output;
        var vars = env.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains('=')).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);
        Assert.StartsWith("127.0.0.1:", vars["PLATFORM_KAFKA_BOOTSTRAP"]);
        Assert.StartsWith("unix://", vars["DOCKER_HOST"]);
        // No pooling: the server restarts in between, and a pooled connection would be a dead one.
        var db = new NpgsqlConnectionStringBuilder(vars["PLATFORM_DATABASE_URL"]) { Pooling = false }.ConnectionString;
        Assert.Contains($"Port={_pgPort}", vars["PLATFORM_DATABASE_URL"]);

        await ExecuteAsync(db, "CREATE TABLE marker (v text); INSERT INTO marker VALUES ('kept')");

        var down = await RunAsync("down");
        Assert.Equal(0, down.ExitCode);
        AssertRow((await RunAsync("status")).Output, "postgres", "stopped");
        AssertRow((await RunAsync("status")).Output, "kafka", "stopped");

        var again = await RunAsync("up --detach");
        Assert.True(again.ExitCode == 0, "second up failed:\n" + again.Output);
        Assert.DoesNotContain("initializing Postgres", again.Output);
        await using var conn = new NpgsqlConnection(db);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT v FROM marker", conn);
        Assert.Equal("kept", await cmd.ExecuteScalarAsync());
    }

    private static void AssertRow(string table, string component, string state)
    {
        var row = table.Split('\n').FirstOrDefault(l => l.StartsWith(component + " ", StringComparison.Ordinal));
        Assert.True(row is not null, $"no '{component}' row in:\n{table}");
        Assert.True(row!.TrimEnd().EndsWith(state, StringComparison.Ordinal) || row.Contains(" " + state + " ", StringComparison.Ordinal) || row.Contains(" " + state, StringComparison.Ordinal),
            $"'{component}' is not {state}: {row}");
    }

    private static async Task ExecuteAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string args)
    {
        var psi = new ProcessStartInfo(Path.Combine(RepoRoot(), "platform"), args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["PLATFORM_STATE"] = _state;
        psi.Environment["PLATFORM_PG_PORT"] = _pgPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["PLATFORM_SKIP_BUILD"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout + await stderr);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }

    public void Dispose()
    {
        var psi = new ProcessStartInfo(Path.Combine(RepoRoot(), "platform"), "down") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["PLATFORM_STATE"] = _state;
        psi.Environment["PLATFORM_PG_PORT"] = _pgPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using (var p = Process.Start(psi)!) p.WaitForExit(60_000);
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
