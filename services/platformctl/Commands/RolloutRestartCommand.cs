using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Platform.Ctl.Commands;

/// <summary>
/// <c>rollout restart deployment|daemonset|statefulset/NAME</c>: as kubectl does it, a merge patch of the template's
/// <c>kubectl.kubernetes.io/restartedAt</c> annotation to now, so the controller rolls every pod over to a new template
/// with its usual strategy (surge, unavailability, partition).
/// </summary>
public static class RolloutRestartCommand
{
    public const string RestartedAt = "kubectl.kubernetes.io/restartedAt";

    public static Command Create(GlobalOptions g, CtlEnvironment env)
    {
        var target = new Argument<string>("resource") { Description = "deployment/NAME, daemonset/NAME or statefulset/NAME (or: TYPE NAME)" };
        var name = new Argument<string?>("name") { Arity = ArgumentArity.ZeroOrOne, Description = "the name, when the type is given separately" };
        var cmd = new Command("restart", "Restart every pod of a Deployment, DaemonSet or StatefulSet by rolling them over") { target, name };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            var t = RolloutTarget.Parse(parse.GetValue(target)!, parse.GetValue(name));
            using var session = CtlSession.Create(parse, g, env);
            var current = await t.GetAsync(session, ct);
            if (t.IsDeployment && ((bool?)current["spec"]?["paused"] ?? false))
                throw new CtlException("can't restart paused deployment (run rollout resume first)");
            var now = env.Now.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
            var patch = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [RestartedAt] = now } } },
                },
            };
            await session.Api.PatchAsync(t.Kind.ObjectPath(session.Namespace, t.Name), patch.ToJsonString(), ct);
            await env.Out.WriteLineAsync($"{t.Display} restarted");
        }));
        return cmd;
    }
}
