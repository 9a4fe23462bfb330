using System.CommandLine;

namespace Platform.Ctl.Commands;

/// <summary>
/// <c>rollout pause|resume deployment/NAME</c>: a JSON merge patch of <c>spec.paused</c>. A paused Deployment keeps
/// its pods but the controller-manager does not roll template changes out until it is resumed.
/// </summary>
public static class RolloutPauseCommand
{
    public static Command Create(GlobalOptions g, CtlEnvironment env, bool pause)
    {
        var target = new Argument<string>("deployment") { Description = "deployment/NAME (or: deployment NAME)" };
        var name = new Argument<string?>("name") { Arity = ArgumentArity.ZeroOrOne, Description = "the name, when the type is given separately" };
        var cmd = new Command(pause ? "pause" : "resume", pause ? "Stop rolling out template changes" : "Resume a paused rollout") { target, name };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            var t = RolloutTarget.Parse(parse.GetValue(target)!, parse.GetValue(name));
            if (!t.IsDeployment) throw new CtlException($"{t.Kind.QualifiedPlural} \"{t.Name}\" {(pause ? "pausing" : "resuming")} is not supported");
            using var session = CtlSession.Create(parse, g, env);
            var d = await t.GetAsync(session, ct);
            if (((bool?)d["spec"]?["paused"] ?? false) == pause)
                throw new CtlException($"deployments.apps \"{t.Name}\" is {(pause ? "already paused" : "not paused")}");
            await session.Api.PatchAsync(t.Kind.ObjectPath(session.Namespace, t.Name), pause ? """{"spec":{"paused":true}}""" : """{"spec":{"paused":false}}""", ct);
            await env.Out.WriteLineAsync($"{t.Display} {(pause ? "paused" : "resumed")}");
        }));
        return cmd;
    }
}
