using Platform.NodeAgent.Api;

namespace Platform.NodeAgent.Streaming;

/// <summary>
/// kubelet's <c>/exec</c> and <c>/attach</c> options: <c>command</c> (repeated, exec only), <c>stdin</c>, <c>stdout</c>,
/// <c>stderr</c>, <c>tty</c>, and the pod's <c>podUID</c>. As in kubelet, stderr is dropped when a tty merges it into stdout.
/// </summary>
internal sealed record StreamQuery(IReadOnlyList<string> Command, bool Stdin, bool Stdout, bool Stderr, bool Tty, string? PodUid)
{
    /// <summary>The options; a <see cref="FormatException"/> whose message is <c>field: reason</c> for the first invalid one.</summary>
    public static StreamQuery Parse(IQueryCollection q, bool exec)
    {
        var command = q["command"].Where(c => c is not null).Select(c => c!).ToList();
        if (exec && command.Count == 0) throw new FormatException("command: you must specify at least one command for the container");
        if (!exec && command.Count > 0) throw new FormatException("command: attach runs no command");
        if (command.Sum(c => c.Length) > 64 * 1024) throw new FormatException("command: longer than 64 KiB");
        var (stdin, stdout, stderr, tty) = (LogQuery.Flag(q, "stdin"), LogQuery.Flag(q, "stdout"), LogQuery.Flag(q, "stderr"), LogQuery.Flag(q, "tty"));
        if (!stdin && !stdout && !stderr) throw new FormatException("stdin: you must specify at least 1 of stdin, stdout, stderr");
        return new StreamQuery(command, stdin, stdout, stderr && !tty, tty, q["podUID"].ToString() is { Length: > 0 } uid ? uid : null);
    }
}
