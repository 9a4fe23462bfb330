using System.CommandLine;
using System.Text.Json.Nodes;

namespace Platform.Ctl.Commands;

/// <summary>
/// <c>rollout undo deployment/NAME [--to-revision N]</c>: checks the revision exists, then asks the controller-manager
/// for the rollback by setting <c>deployment.platform.io/rollback-to</c> (N, or 0 for the previous revision) with a JSON
/// merge patch; the controller copies that revision's template back and removes the annotation.
/// </summary>
public static class RolloutUndoCommand
{
    public static Command Create(GlobalOptions g, CtlEnvironment env)
    {
        var target = new Argument<string>("resource") { Description = "deployment/NAME, daemonset/NAME or statefulset/NAME (or: TYPE NAME)" };
        var name = new Argument<string?>("name") { Arity = ArgumentArity.ZeroOrOne, Description = "the name, when the type is given separately" };
        var toRevision = new Option<long>("--to-revision") { Description = "the revision to return to (default 0: the previous one)" };
        var cmd = new Command("undo", "Roll back to a previous revision") { target, name, toRevision };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            var t = RolloutTarget.Parse(parse.GetValue(target)!, parse.GetValue(name));
            var wanted = parse.GetValue(toRevision);
            if (wanted < 0) throw new CtlException("--to-revision: must be >= 0");
            using var session = CtlSession.Create(parse, g, env);
            var d = await t.GetAsync(session, ct);
            if (t.IsDeployment && (bool?)d["spec"]?["paused"] == true)
                throw new CtlException($"you cannot roll back a paused deployment; resume it first with 'platformctl rollout resume {t.Display}' and try again");
            var history = await RolloutRevisions.ListAsync(session, t, d, ct);
            var current = history.Count == 0 ? 0 : history[^1].Revision;
            var source = wanted == 0
                ? history.LastOrDefault(h => h.Revision < current).Source
                    ?? throw new CtlException($"no previous revision of {t.Display} to roll back to (revisions: {RolloutHistoryCommand.Known(history)})")
                : history.FirstOrDefault(h => h.Revision == wanted).Source
                    ?? throw new CtlException($"unable to find revision {RolloutRevisions.Text(wanted)} of {t.Display} (revisions: {RolloutHistoryCommand.Known(history)})");
            if (SameTemplate(d, source))
            {
                var revision = history.First(h => h.Source == source).Revision;
                await env.Out.WriteLineAsync($"{t.Display} skipped rollback (current template already matches revision {RolloutRevisions.Text(revision)})");
                return;
            }
            if (!t.IsDeployment)
            {
                // As kubectl does: the ControllerRevision's data is a strategic merge patch that restores the template.
                await session.Api.StrategicPatchAsync(t.Kind.ObjectPath(session.Namespace, t.Name), source["data"]!.ToJsonString(), ct);
                await env.Out.WriteLineAsync($"{t.Display} rolled back");
                return;
            }
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [RolloutRevisions.RollbackToAnnotation] = RolloutRevisions.Text(wanted) } },
            };
            await session.Api.PatchAsync(t.Kind.ObjectPath(session.Namespace, t.Name), patch.ToJsonString(), ct);
            await env.Out.WriteLineAsync($"{t.Display} rolled back");
        }));
        return cmd;
    }

    /// <summary>
    /// The controller labels each ReplicaSet's template with pod-template-hash; apart from that they are the
    /// Deployment's template. A ControllerRevision holds the template as it was.
    /// </summary>
    private static bool SameTemplate(JsonObject owner, JsonObject revision)
    {
        if (owner["spec"]?["template"] is not JsonObject current || RolloutRevisions.TemplateOf(revision) is not JsonObject source) return false;
        var stripped = (JsonObject)source.DeepClone();
        if (stripped["metadata"]?["labels"] is JsonObject labels)
        {
            labels.Remove("pod-template-hash");
            if (labels.Count == 0) ((JsonObject)stripped["metadata"]!).Remove("labels");
        }
        return JsonNode.DeepEquals(current, stripped);
    }
}
