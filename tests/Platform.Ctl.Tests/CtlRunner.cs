using System.Text;
using Platform.Testing.ApiServer;

namespace Platform.Ctl.Tests;

/// <summary>Runs platformctl in-process against a test apiserver, with its own config file.</summary>
public sealed class CtlRunner(ApiServerHost host, string? token = null)
{
    public string ConfigPath { get; } = Path.Combine(Directory.CreateTempSubdirectory("platformctl-").FullName, "config.json");

    public async Task<(int Exit, string Out, string Err)> RunAsync(string args, string? stdin = null, bool useEnv = true)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var vars = new Dictionary<string, string?> { ["PLATFORMCTL_CONFIG"] = ConfigPath };
        if (useEnv)
        {
            vars["PLATFORM_APISERVER_URL"] = host.BaseAddress.ToString();
            vars["PLATFORM_TOKEN"] = token ?? host.AdminToken;
        }
        var env = new CtlEnvironment(output, error, new StringReader(stdin ?? ""), vars);
        var exit = await CtlApp.RunAsync(Split(args), env);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Splits like a shell: spaces separate, double quotes group.</summary>
    private static string[] Split(string args)
    {
        var list = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in args)
        {
            if (c == '"') quoted = !quoted;
            else if (c == ' ' && !quoted) { if (current.Length > 0) { list.Add(current.ToString()); current.Clear(); } }
            else current.Append(c);
        }
        if (current.Length > 0) list.Add(current.ToString());
        return [.. list];
    }

    public static string Seed(string file) => Path.Combine(AppContext.BaseDirectory, "Seeds", file);
}
