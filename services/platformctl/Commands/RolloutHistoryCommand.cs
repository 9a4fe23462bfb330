using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Ctl.Output;

namespace Platform.Ctl.Commands;

/// <summary>
/// <c>rollout history deployment|daemonset|statefulset/NAME [--revision N] [-o json|yaml]</c>: REVISION / CHANGE-CAUSE
/// from the ReplicaSets or ControllerRevisions the object owns; with <c>--revision</c>, that revision's pod template.
/// <c>-o</c> prints those objects themselves (a List, or the one of <c>--revision</c>).
/// </summary>
public static class RolloutHistoryCommand
{
    public static Command Create(GlobalOptions g, CtlEnvironment env)
    {
        var target = new Argument<string>("resource") { Description = "deployment/NAME, daemonset/NAME or statefulset/NAME (or: TYPE NAME)" };
        var name = new Argument<string?>("name") { Arity = ArgumentArity.ZeroOrOne, Description = "the name, when the type is given separately" };
        var revision = new Option<long?>("--revision") { Description = "show the pod template of this revision (0: all revisions)" };
        var output = new Option<string?>("--output", "-o") { Description = "json or yaml" };
        output.AcceptOnlyFromAmong("json", "yaml");
        var cmd = new Command("history", "Show the revisions of a rollout") { target, name, revision, output };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            var t = RolloutTarget.Parse(parse.GetValue(target)!, parse.GetValue(name));
            using var session = CtlSession.Create(parse, g, env);
            var history = await RolloutRevisions.ListAsync(session, t, await t.GetAsync(session, ct), ct);
            var format = parse.GetValue(output);
            if (parse.GetValue(revision) is { } wanted and > 0)
            {
                var rs = history.FirstOrDefault(h => h.Revision == wanted).Source
                    ?? throw new CtlException($"unable to find revision {RolloutRevisions.Text(wanted)} of {t.Display} (revisions: {Known(history)})");
                if (format is not null) { await WriteAsync(env, format, rs); return; }
                await env.Out.WriteLineAsync($"{t.Display} with revision #{RolloutRevisions.Text(wanted)}");
                await env.Out.WriteLineAsync("Pod Template:");
                var template = YamlOutput.ToYaml(RolloutRevisions.TemplateOf(rs));
                foreach (var line in template.TrimEnd('\n').Split('\n')) await env.Out.WriteLineAsync("  " + line);
                return;
            }
            if (format is not null)
            {
                var items = new JsonArray(history.Select(h => (JsonNode)h.Source.DeepClone()).ToArray());
                await WriteAsync(env, format, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items });
                return;
            }
            if (history.Count == 0)
            {
                await env.Error.WriteLineAsync($"No rollout history found for {t.Display}.");
                return;
            }
            await env.Out.WriteLineAsync(t.Display);
            TablePrinter.Write(env.Console(), ["REVISION", "CHANGE-CAUSE"],
                history.Select(h => (IReadOnlyList<string>)[RolloutRevisions.Text(h.Revision), RolloutRevisions.ChangeCause(h.Source)]));
        }));
        return cmd;
    }

    internal static string Known(List<(long Revision, JsonObject Source)> history) =>
        history.Count == 0 ? "none" : string.Join(", ", history.Select(h => RolloutRevisions.Text(h.Revision)));

    private static Task WriteAsync(CtlEnvironment env, string format, JsonObject obj) => format == "json"
        ? env.Out.WriteLineAsync(obj.ToJsonString(new JsonSerializerOptions { WriteIndented = true }))
        : env.Out.WriteAsync(YamlOutput.ToYaml(obj));
}
