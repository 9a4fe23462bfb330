using System.Diagnostics;

namespace Platform.Foundation.Tests;

/// <summary>
/// The supervisor loop of <c>./platform up --detach</c> (deploy/local/supervise.sh), run in bash with its starters
/// replaced by stubs that write what they were asked to do: restarts run beside the loop, so a component's start that
/// is still waiting on its health does not hold Postgres back, and a start under way is not begun twice. And the real
/// <c>start_postgres</c> against a killed postmaster that is still a zombie.
/// </summary>
public sealed class SupervisorTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("supervisor-").FullName;

    [Fact]
    public async Task PostgresIsStartedAgain_WhileTheApiserversRestartStillWaits()
    {
        // The apiserver has crashed; Postgres runs until the apiserver's restart begins, then dies too (as when
        // both are killed at once). The apiserver's start then waits on a health check that does not come.
        var events = await SuperviseAsync("""
            pid_alive() { return 1; }
            postgres_alive() { [[ -f "$STATE/postgres-up" ]]; }
            start_component() {
              echo "start $(component_name "$1")" >>"$STATE/events"; rm -f "$STATE/postgres-up"
              sleep 30 & echo $! >"$STATE/waiting.pid"; wait
            }
            start_postgres() { echo "start postgres" >>"$STATE/events"; touch "$STATE/postgres-up"; }
            touch "$STATE/postgres-up"
            """, seconds: 6);

        Assert.Contains("start postgres", events);
        Assert.Equal("start apiserver", events[0]);
        // Its back-off passed (2 s, then 4 s) while the first start still waited: it is not started a second time.
        Assert.Single(events, e => e == "start apiserver");
        // Stopping the supervisor stopped the start under way too.
        var waiting = int.Parse(await File.ReadAllTextAsync(Path.Combine(_state, "waiting.pid")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await ExitsAsync(waiting), $"the restart under way (pid {waiting}) outlived the supervisor");
    }

    /// <summary>Whether the process ends (or is a zombie waiting to be reaped) within a few seconds.</summary>
    private static async Task<bool> ExitsAsync(int pid)
    {
        for (var i = 0; i < 50 && Repo.Runs(pid); i++) await Task.Delay(100);
        return !Repo.Runs(pid);
    }

    [Fact]
    public async Task ACrashedStartIsRetriedWithBackOff()
    {
        var events = await SuperviseAsync("""
            pid_alive() { return 1; }
            postgres_alive() { return 0; }
            start_component() { echo "start $(component_name "$1")" >>"$STATE/events"; return 1; }
            """, seconds: 4);

        // At 0 s, then after 2 s of back-off (then 4 s more, past the end of the run).
        Assert.Equal(["start apiserver", "start apiserver"], events);
    }

    [Fact]
    public async Task PostgresStartsAgain_WhileItsKilledPostmasterIsAZombieNamedInTheSocketLock()
    {
        // The postgres user reaches the data folder through the state folder.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_state, (UnixFileMode)0b111_101_101);
        var script = $$"""
            set -eu
            PG_BIN=/usr/lib/postgresql/15/bin ROOT='{{Repo.Root()}}' STATE='{{_state}}/platform' PG_PORT={{Platform.Testing.Network.FreeTcpPort()}}
            source "$ROOT/deploy/local/lib.sh"
            dir='{{_state}}/pg'
            start_postgres "$dir" "$PG_PORT"
            postmaster=$(head -n 1 "$dir/data/postmaster.pid")
            # A zombie of the postgres user (its parent execs a sleep that never reaps it) stands for a killed
            # postmaster that nobody has reaped yet: kill -0 still finds it.
            runuser -u postgres -- bash -c 'sleep 0 & echo $! >"$1"; exec sleep 30' _ "$dir/zombie" &
            until [[ -s "$dir/zombie" ]]; do sleep 0.1; done
            zombie=$(cat "$dir/zombie")
            until [[ $(cut -d' ' -f3 "/proc/$zombie/stat") == Z ]]; do sleep 0.1; done
            kill -9 "$postmaster"
            while kill -0 "$postmaster" 2>/dev/null && [[ $(cut -d' ' -f3 "/proc/$postmaster/stat") != Z ]]; do sleep 0.1; done
            sed -i "1s/.*/$zombie/" "$dir/.s.PGSQL.$PG_PORT.lock"
            start_postgres "$dir" "$PG_PORT"
            echo "started again as $(head -n 1 "$dir/data/postmaster.pid")"
            stop_postgres "$dir"
            kill %1
            """;
        var (exit, output) = await BashAsync(script);

        Assert.True(exit == 0, $"start_postgres failed (exit {exit}):\n{output}\n{ReadIfExists(Path.Combine(_state, "pg", "postgres.log"))}");
        Assert.Contains("started again as", output);
    }

    private static Process StartBash(string script)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        return Process.Start(psi)!;
    }

    private static async Task<(int Exit, string Output)> BashAsync(string script)
    {
        using var bash = StartBash(script);
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await bash.WaitForExitAsync(cts.Token);
        return (bash.ExitCode, await stdout + await stderr);
    }

    private static string ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    /// <summary>Runs supervise_components for a while with the given stubs and returns the events they wrote.</summary>
    private async Task<string[]> SuperviseAsync(string stubs, int seconds)
    {
        var conf = Path.Combine(_state, "10-apiserver.conf");
        await File.WriteAllTextAsync(conf, "NAME=apiserver\n");
        Directory.CreateDirectory(Path.Combine(_state, "pids"));
        Directory.CreateDirectory(Path.Combine(_state, "logs"));
        await File.WriteAllTextAsync(Path.Combine(_state, "pids", "apiserver.pid"), "1\n");
        var script = $$"""
            set -u
            STATE='{{_state}}' PG_PORT=5432
            source '{{Path.Combine(Repo.Root(), "deploy", "local", "supervise.sh")}}'
            log() { echo "$*" >&2; }
            component_confs() { echo '{{conf}}'; }
            component_name() { local n=${1##*/}; n=${n%.conf}; echo "${n#*-}"; }
            {{stubs}}
            trap 'stop_starters; exit 0' TERM
            supervise_components
            """;
        using var bash = StartBash(script);
        var stderr = bash.StandardError.ReadToEndAsync();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        if (bash.HasExited) Assert.Fail("the supervisor loop ended: " + await stderr);
        // down's SIGTERM: the loop stops, and so do its restarts under way (the stub's sleep).
        Process.Start("kill", ["-TERM", bash.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await bash.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { bash.Kill(entireProcessTree: true); } // a loop stuck in a start: the events tell
        var path = Path.Combine(_state, "events");
        return File.Exists(path) ? await File.ReadAllLinesAsync(path) : [];
    }

    public void Dispose()
    {
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { }
    }
}
