using System.Text;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Api;

/// <summary>
/// The options of <c>.../pods/{name}/exec</c> and <c>/attach</c>: <c>command</c> (repeated, exec only), <c>container</c>,
/// <c>stdin</c>, <c>stdout</c>, <c>stderr</c>, <c>tty</c>; validated (400 naming the field) before the agent is called.
/// </summary>
internal sealed record PodStreamQuery(IReadOnlyList<string> Command, string? Container, bool Stdin, bool Stdout, bool Stderr, bool Tty)
{
    /// <summary>A command line longer than this is refused rather than carried in a URL.</summary>
    private const int MaxCommandBytes = 64 * 1024;

    public static PodStreamQuery Parse(IQueryCollection q, bool exec)
    {
        var command = q["command"].Where(c => c is not null).Select(c => c!).ToList();
        if (exec && command.Count == 0) throw ApiProblem.BadRequest("command", "you must specify at least one command for the container");
        if (!exec && command.Count > 0) throw ApiProblem.BadRequest("command", "attach runs no command; use exec");
        if (command.Sum(c => c.Length) > MaxCommandBytes) throw ApiProblem.BadRequest("command", $"longer than {MaxCommandBytes / 1024} KiB");
        var query = new PodStreamQuery(command, q["container"].ToString() is { Length: > 0 } c ? c : null,
            PodLogQuery.Flag(q, "stdin"), PodLogQuery.Flag(q, "stdout"), PodLogQuery.Flag(q, "stderr"), PodLogQuery.Flag(q, "tty"));
        if (!query.Stdin && !query.Stdout && !query.Stderr) throw ApiProblem.BadRequest("stdin", "you must specify at least 1 of stdin, stdout, stderr");
        return query;
    }

    /// <summary>The agent's query: these options and, when given, the pod's uid.</summary>
    public string AgentQuery(string? podUid)
    {
        var sb = new StringBuilder();
        foreach (var arg in Command) sb.Append("&command=").Append(Uri.EscapeDataString(arg));
        if (Stdin) sb.Append("&stdin=true");
        if (Stdout) sb.Append("&stdout=true");
        if (Stderr) sb.Append("&stderr=true");
        if (Tty) sb.Append("&tty=true");
        if (podUid is { Length: > 0 }) sb.Append("&podUID=").Append(Uri.EscapeDataString(podUid));
        return sb.Length == 0 ? "" : "?" + sb.ToString(1, sb.Length - 1);
    }
}
