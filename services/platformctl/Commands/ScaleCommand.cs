using System.CommandLine;
using System.Globalization;
using Platform.Contracts.Resources;

namespace Platform.Ctl.Commands;

/// <summary><c>scale KIND NAME --replicas=N</c> through the <c>scale</c> subresource.</summary>
public static class ScaleCommand
{
    public static Command Create(GlobalOptions g, CtlEnvironment env)
    {
        var kindArg = new Argument<string>("kind") { Description = "deployment or replicaset" };
        var nameArg = new Argument<string>("name");
        var replicas = new Option<int>("--replicas") { Description = "the new number of replicas", Required = true };
        var cmd = new Command("scale", "Set the number of replicas of a Deployment or ReplicaSet") { kindArg, nameArg, replicas };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            using var session = CtlSession.Create(parse, g, env);
            var kind = Names.Kind(parse.GetValue(kindArg)!);
            if (!kind.HasSubresource("scale")) throw new CtlException($"{kind.Plural} cannot be scaled (deployments and replicasets can)");
            var n = parse.GetValue(replicas);
            if (n < 0) throw new CtlException("--replicas: must be >= 0");
            var name = parse.GetValue(nameArg)!;
            await session.Api.PatchAsync(kind.ObjectPath(session.Namespace, name) + "/scale",
                $"{{\"spec\":{{\"replicas\":{n.ToString(CultureInfo.InvariantCulture)}}}}}", ct);
            await env.Out.WriteLineAsync($"{Names.Of(kind, name)} scaled");
        }));
        return cmd;
    }
}
