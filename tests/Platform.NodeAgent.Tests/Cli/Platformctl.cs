using Platform.Ctl;
using Platform.Testing.ApiServer;

namespace Platform.NodeAgent.Tests.Cli;

/// <summary>
/// platformctl run in-process against the test apiserver with the admin token and its own config file.
/// </summary>
public static class Platformctl
{
    public static Task<(int Exit, string Out, string Err)> RunAsync(ApiServerProcess api, params string[] args) => RunWithInputAsync(api, "", args);

    /// <summary>As <see cref="RunAsync"/>, with <paramref name="stdin"/> as platformctl's standard input (<c>exec -i</c>).</summary>
    public static async Task<(int Exit, string Out, string Err)> RunWithInputAsync(ApiServerProcess api, string stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var vars = new Dictionary<string, string?>
        {
            ["PLATFORMCTL_CONFIG"] = Path.Combine(Directory.CreateTempSubdirectory("platformctl-").FullName, "config.json"),
            ["PLATFORM_APISERVER_URL"] = api.BaseAddress.ToString(),
            ["PLATFORM_TOKEN"] = api.AdminToken,
        };
        var exit = await CtlApp.RunAsync(args, new CtlEnvironment(output, error, new StringReader(stdin), vars));
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>The STATUS cell of <paramref name="pod"/> in <c>get pods</c> (NAME READY STATUS RESTARTS AGE).</summary>
    public static async Task<(string Ready, string Status)> PodRowAsync(ApiServerProcess api, string ns, string pod)
    {
        var (exit, output, error) = await RunAsync(api, "get", "pods", "-n", ns);
        if (exit != 0) throw new InvalidOperationException("platformctl get pods failed: " + error);
        var cells = output.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).FirstOrDefault(c => c.Length >= 3 && c[0] == pod)
            ?? throw new InvalidOperationException($"no row for {pod} in:\n{output}");
        return (cells[1], cells[2]);
    }

    /// <summary>
    /// platformctl started with <paramref name="token"/>, for commands that stream (<c>logs -f</c>): its output so far can
    /// be read while it runs; cancelling <paramref name="ct"/> is Ctrl+C.
    /// </summary>
    public static (Func<string> Output, Task<int> Exit, Func<string> Error) Start(ApiServerProcess api, string token, CancellationToken ct, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        // TextWriter.Synchronized locks on the wrapper: reading under the same lock never sees a half-written chunk.
        var syncOut = TextWriter.Synchronized(output);
        var syncErr = TextWriter.Synchronized(error);
        var vars = new Dictionary<string, string?>
        {
            ["PLATFORMCTL_CONFIG"] = Path.Combine(Directory.CreateTempSubdirectory("platformctl-").FullName, "config.json"),
            ["PLATFORM_APISERVER_URL"] = api.BaseAddress.ToString(),
            ["PLATFORM_TOKEN"] = token,
        };
        var exit = Task.Run(() => CtlApp.RunAsync(args, new CtlEnvironment(syncOut, syncErr, new StringReader(""), vars), ct), ct);
        return (() => { lock (syncOut) return output.ToString(); }, exit, () => { lock (syncErr) return error.ToString(); });
    }
}
