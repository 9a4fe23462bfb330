using System.CommandLine;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.Ctl.Commands;

/// <summary><c>create namespace NAME</c>, <c>create token NAME --role ROLE [--namespace NS] [--node NODE]</c> and <c>create job</c> (<see cref="CreateJobCommand"/>).</summary>
public static class CreateCommand
{
    public static Command Create(GlobalOptions g, CtlEnvironment env)
    {
        var nsName = new Argument<string>("name");
        var ns = new Command("namespace", "Create a namespace") { nsName };
        ns.Aliases.Add("ns");
        ns.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            using var session = CtlSession.Create(parse, g, env);
            var name = parse.GetValue(nsName)!;
            await session.Api.CreateAsync(ResourceKinds.Namespace, null, new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name },
            }, ct);
            await env.Out.WriteLineAsync($"namespace/{name} created");
        }));

        var tokenName = new Argument<string>("name");
        var role = new Option<string>("--role") { Description = "admin, editor, viewer, node, scheduler or controller", Required = true };
        role.AcceptOnlyFromAmong("admin", "editor", "viewer", "node", "scheduler", "controller");
        var node = new Option<string?>("--node") { Description = "the node a node token belongs to" };
        var token = new Command("token", "Create an API token (printed once; only its hash is stored)") { tokenName, role, node };
        token.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            using var session = CtlSession.Create(parse, g, env);
            var r = parse.GetValue(role)!;
            var scoped = r is "editor" || (r is "viewer" && parse.GetValue(g.Namespace) is not null);
            var created = await session.Api.PostAsync("/apis/auth.platform.io/v1/tokens", new JsonObject
            {
                ["name"] = parse.GetValue(tokenName), ["role"] = r,
                ["namespace"] = scoped ? session.Namespace : null, ["nodeName"] = parse.GetValue(node),
            }, ct);
            await env.Out.WriteLineAsync((string?)created["token"]);
        }));
        return new Command("create", "Create a namespace, a token or a Job") { ns, token, CreateJobCommand.Create(g, env) };
    }
}
