using System.CommandLine;
using System.Globalization;
using System.Text;

namespace Platform.Ctl.Commands;

/// <summary>
/// <c>logs POD [-c CONTAINER] [-f] [--tail N] [--timestamps] [-p] [--since 5m]</c>: the apiserver's <c>pods/log</c>,
/// printed as it arrives. With <c>-f</c> it runs until the container stops or Ctrl+C.
/// </summary>
public static class LogsCommand
{
    public static Command Create(GlobalOptions g, CtlEnvironment env)
    {
        var pod = new Argument<string>("pod") { Description = "the pod (NAME or pod/NAME)" };
        var container = new Option<string?>("--container", "-c") { Description = "the container (required when the pod has several)" };
        var follow = new Option<bool>("--follow", "-f") { Description = "keep streaming new lines until the container stops" };
        var tail = new Option<long>("--tail") { Description = "only the last N lines (-1: all)", DefaultValueFactory = _ => -1 };
        var timestamps = new Option<bool>("--timestamps") { Description = "prefix each line with its RFC 3339 time" };
        var previous = new Option<bool>("--previous", "-p") { Description = "the previous (restarted) container's output" };
        var since = new Option<string?>("--since") { Description = "only lines newer than this (90s, 5m, 1h)" };
        var cmd = new Command("logs", "Print the logs of a container in a pod") { pod, container, follow, tail, timestamps, previous, since };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            var name = parse.GetValue(pod)!;
            if (name.StartsWith("pod/", StringComparison.Ordinal) || name.StartsWith("pods/", StringComparison.Ordinal)) name = name[(name.IndexOf('/') + 1)..];
            var n = parse.GetValue(tail);
            if (n < -1) throw new CtlException("--tail: must be -1 (all) or >= 0");
            var query = new StringBuilder();
            void Add(string key, string value) => query.Append(query.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
            if (parse.GetValue(container) is { Length: > 0 } c) Add("container", c);
            if (parse.GetValue(follow)) Add("follow", "true");
            if (n >= 0) Add("tailLines", n.ToString(CultureInfo.InvariantCulture));
            if (parse.GetValue(timestamps)) Add("timestamps", "true");
            if (parse.GetValue(previous)) Add("previous", "true");
            if (parse.GetValue(since) is { } s)
            {
                var seconds = (long)Math.Ceiling(DurationText.Parse("--since", s).TotalSeconds);
                if (seconds < 1) throw new CtlException("--since: must be at least 1s");
                Add("sinceSeconds", seconds.ToString(CultureInfo.InvariantCulture));
            }
            using var session = CtlSession.Create(parse, g, env);
            var path = $"/api/v1/namespaces/{Uri.EscapeDataString(session.Namespace)}/pods/{Uri.EscapeDataString(name)}/log{query}";
            await session.Api.StreamTextAsync(path, env.Out, ct);
        }));
        return cmd;
    }
}
