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
        AssertRow(status.Output, "supervisor", "running");

        // A crash is repaired as Kubernetes' restart policy would: the supervisor up --detach left running starts a
        // component killed with SIGKILL again, and Postgres too (its dead postmaster may linger as a zombie).
        var apiserver = int.Parse(File.ReadAllText(Path.Combine(_state, "pids", "apiserver.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var postmaster = int.Parse(File.ReadLines(Path.Combine(_state, "postgres", "data", "postmaster.pid")).First().Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using (var p = Process.GetProcessById(apiserver)) p.Kill();
        using (var p = Process.GetProcessById(postmaster)) p.Kill();
        await WaitForRestartAsync("apiserver", apiserver);
        await WaitForRestartAsync("postgres", postmaster);

        // As the README says: eval "$(./platform env)" in bash, then the variables are in that shell.
        var vars = await EvalEnvAsync();
        Assert.StartsWith("127.0.0.1:", vars["PLATFORM_KAFKA_BOOTSTRAP"]);
        Assert.StartsWith("unix://", vars["DOCKER_HOST"]);
        // No pooling: the server restarts in between, and a pooled connection would be a dead one.
        var db = new NpgsqlConnectionStringBuilder(vars["PLATFORM_DATABASE_URL"]) { Pooling = false }.ConnectionString;
        Assert.Contains($"Port={_pgPort}", vars["PLATFORM_DATABASE_URL"]);

        await ExecuteAsync(db, "CREATE TABLE marker (v text); INSERT INTO marker VALUES ('kept')");
        var psql = await RunShellAsync("eval \"$(\"$PLATFORM\" env)\"; psql \"$PLATFORM_DATABASE_URI\" -tAc 'SELECT v FROM marker' && psql -tAc 'SELECT 1'");
        Assert.True(psql.ExitCode == 0, "psql with the exported URL failed:\n" + psql.Output);
        Assert.Equal(["kept", "1"], psql.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^http://[^:@/]+:[^@/]+@127\.0\.0\.1:8888$", vars["CONFIG_SERVER_URL"]);
        Assert.Equal(vars["CONFIG_SERVER_PASSWORD"], vars["CONFIG_SERVER_URL"].Split('@')[0].Split(':')[^1]);

        // kubectl over HTTPS with the kubeconfig up wrote: the local CA verifies the apiserver, the admin token authenticates.
        var kubectl = await RunShellAsync("eval \"$(\"$PLATFORM\" env)\"; kubectl get namespaces -o name");
        Assert.True(kubectl.ExitCode == 0, "kubectl with $KUBECONFIG failed:\n" + kubectl.Output);
        Assert.Contains("namespace/default", kubectl.Output);
        Assert.StartsWith(_state, vars["KUBECONFIG"]);
        // The official .NET and Node clients, from the same kubeconfig, against the running platform.
        await Platform.Testing.Kubernetes.OfficialDotnetClientScenario.RunAsync(vars["KUBECONFIG"], "dotnet-" + Guid.NewGuid().ToString("N")[..8]);
        var nodeNs = "node-" + Guid.NewGuid().ToString("N")[..8];
        var created = await RunShellAsync($"eval \"$(\"$PLATFORM\" env)\"; kubectl create namespace {nodeNs}");
        Assert.True(created.ExitCode == 0, created.Output);
        var nodeClient = new Platform.Testing.Kubernetes.KubernetesNodeClientPackage();
        await nodeClient.InitializeAsync();
        try { await nodeClient.RunScenarioAsync(vars["KUBECONFIG"], nodeNs); }
        finally { await nodeClient.DisposeAsync(); }

        var json = System.Text.Json.JsonDocument.Parse((await RunAsync("env --json")).Output).RootElement;
        Assert.All(vars, v => Assert.Equal(v.Value, json.GetProperty(v.Key).GetString()));

        await AssertDatabaseRolesAsync(vars);
        await AssertNoSecretInLogsAsync();

        var down = await RunAsync("down");
        Assert.Equal(0, down.ExitCode);
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mounts"), m => m.Split(' ')[1].StartsWith(_state + "/", StringComparison.Ordinal));
        AssertRow((await RunAsync("status")).Output, "postgres", "stopped");
        AssertRow((await RunAsync("status")).Output, "kafka", "stopped");

        var again = await RunAsync("up --detach");
        Assert.True(again.ExitCode == 0, "second up failed:\n" + again.Output);
        Assert.DoesNotContain("initializing Postgres", again.Output);
        await using var conn = new NpgsqlConnection(db);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT v FROM marker", conn);
        Assert.Equal("kept", await cmd.ExecuteScalarAsync());
        NpgsqlConnection.ClearAllPools();

        var purge = await RunAsync("down --purge");
        Assert.True(purge.ExitCode == 0, "down --purge failed:\n" + purge.Output);
        Assert.False(Directory.Exists(_state), "down --purge leaves no state folder");
    }

    /// <summary>
    /// Postgres trusts nobody: a pod shares the host's loopback, so whatever connects to 127.0.0.1 without the
    /// password (as the superuser, or as a component's role) is refused; the services' role is no superuser, and the
    /// scheduler's role can connect but read none of the apiserver's tables.
    /// </summary>
    private async Task AssertDatabaseRolesAsync(Dictionary<string, string> vars)
    {
        var services = new NpgsqlConnectionStringBuilder(vars["PLATFORM_DATABASE_URL"]) { Pooling = false };
        Assert.Equal("platform_apiserver", services.Username);
        foreach (var (user, password) in new[] { ("postgres", ""), ("postgres", "postgres"), ("platform_apiserver", ""), ("platform_scheduler", "") })
        {
            var guess = new NpgsqlConnectionStringBuilder(services.ConnectionString) { Username = user, Password = password, Database = "platform" };
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => ExecuteAsync(guess.ConnectionString, "SELECT 1"));
            Assert.True(refused is PostgresException { SqlState: "28P01" } || refused.Message.Contains("password", StringComparison.OrdinalIgnoreCase),
                $"{user} with password '{password}': expected an authentication failure, got {refused}");
        }
        await using (var conn = new NpgsqlConnection(services.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = current_user", conn);
            Assert.Equal(false, await cmd.ExecuteScalarAsync());
        }
        var credentials = File.ReadAllLines(Path.Combine(_state, "credentials")).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var scheduler = new NpgsqlConnectionStringBuilder(services.ConnectionString)
        {
            Username = "platform_scheduler",
            Password = credentials["PLATFORM_PG_SCHEDULER_PASSWORD"],
        };
        var denied = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(scheduler.ConnectionString, "SELECT count(*) FROM public.apiserver_objects"));
        Assert.Equal("42501", denied.SqlState); // insufficient_privilege
        await ExecuteAsync(scheduler.ConnectionString, "SELECT pg_try_advisory_lock(1)"); // what its leader lease needs
    }

    /// <summary>
    /// <c>./platform logs --check-secrets</c> finds nothing in the logs of everything this test ran, and it does find a
    /// secret written into a log on purpose (so a checker that looks at nothing would fail here).
    /// </summary>
    private async Task AssertNoSecretInLogsAsync()
    {
        var clean = await RunAsync("logs --check-secrets");
        Assert.True(clean.ExitCode == 0, "a secret is in a component log:\n" + clean.Output);
        var token = File.ReadAllText(Path.Combine(_state, "tokens", "system-gateway")).Trim();
        var planted = Path.Combine(_state, "logs", "planted.log");
        await File.WriteAllTextAsync(planted, "Authorization: Bearer " + token + "\n");
        try
        {
            var dirty = await RunAsync("logs --check-secrets");
            Assert.Equal(1, dirty.ExitCode);
            Assert.Contains("planted.log: token system-gateway", dirty.Output);
            Assert.DoesNotContain(token, dirty.Output);
        }
        finally { File.Delete(planted); }
    }

    /// <summary>Until <c>status</c> shows the component healthy under a pid other than the killed one.</summary>
    private async Task WaitForRestartAsync(string component, int killedPid)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        string table;
        do
        {
            await Task.Delay(1000);
            table = (await RunAsync("status")).Output;
            var row = table.Split('\n').FirstOrDefault(l => l.StartsWith(component + " ", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (row is [.., var pid, "healthy"] && pid != killedPid.ToString(System.Globalization.CultureInfo.InvariantCulture)) return;
        }
        while (DateTime.UtcNow < deadline);
        var postgresLog = Path.Combine(_state, "postgres", "postgres.log");
        var postgresTail = File.Exists(postgresLog) ? string.Join('\n', File.ReadLines(postgresLog).TakeLast(20)) : "(none)";
        Assert.Fail($"{component} (pid {killedPid} killed) was not restarted within 120 s:\n{table}\nsupervisor log:\n{ReadLog("supervisor")}\npostgres log:\n{postgresTail}");
    }

    private string ReadLog(string name)
    {
        var path = Path.Combine(_state, "logs", name + ".log");
        return File.Exists(path) ? File.ReadAllText(path) : "(none)";
    }

    /// <summary>The variables a bash shell has after <c>eval "$(./platform env)"</c>, and only those the command set.</summary>
    private async Task<Dictionary<string, string>> EvalEnvAsync()
    {
        var result = await RunShellAsync("eval \"$(\"$PLATFORM\" env)\" || exit 9; " +
            "for k in $(\"$PLATFORM\" env | sed -n 's/^export \\([A-Z_]*\\)=.*/\\1/p'); do printf '%s=%s\\0' \"$k\" \"${!k}\"; done");
        Assert.True(result.ExitCode == 0, "eval \"$(./platform env)\" failed:\n" + result.Output);
        return result.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);
    }

    private Task<(int ExitCode, string Output)> RunShellAsync(string script) => RunAsync("-c", script, "bash");

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

    private Task<(int ExitCode, string Output)> RunAsync(string args) => RunAsync(args, null, Path.Combine(Repo.Root(), "platform"));

    private async Task<(int ExitCode, string Output)> RunAsync(string args, string? script, string file)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = script is null,
        };
        foreach (var a in args.Split(' ')) psi.ArgumentList.Add(a);
        if (script is not null) psi.ArgumentList.Add(script);
        psi.Environment["PLATFORM"] = Path.Combine(Repo.Root(), "platform");
        psi.Environment["PLATFORM_STATE"] = _state;
        psi.Environment["PLATFORM_DOCKER_ROOT"] = Path.Combine(_state, "docker-data");
        psi.Environment["PLATFORM_PG_PORT"] = _pgPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["PLATFORM_SKIP_BUILD"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = script is null ? p.StandardError.ReadToEndAsync() : Task.FromResult("");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout + await stderr);
    }

    public void Dispose()
    {
        var psi = new ProcessStartInfo(Path.Combine(Repo.Root(), "platform"), "down") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["PLATFORM_STATE"] = _state;
        psi.Environment["PLATFORM_PG_PORT"] = _pgPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using (var p = Process.Start(psi)!) p.WaitForExit(60_000);
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
