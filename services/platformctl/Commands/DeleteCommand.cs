using System.CommandLine;
using Platform.Contracts.Resources;
using Platform.Ctl.Manifests;

namespace Platform.Ctl.Commands;

/// <summary><c>delete KIND NAME... | -f FILE</c> with <c>--cascade=background|foreground|orphan</c>.</summary>
public static class DeleteCommand
{
    public static Command Create(GlobalOptions g, CtlEnvironment env)
    {
        var kindArg = new Argument<string?>("kind") { Arity = ArgumentArity.ZeroOrOne };
        var namesArg = new Argument<string[]>("names") { Arity = ArgumentArity.ZeroOrMore };
        var files = new Option<string[]>("--filename", "-f") { Description = "delete the objects of these manifests" };
        var cascade = new Option<string>("--cascade") { Description = "background (default), foreground or orphan", DefaultValueFactory = _ => "background" };
        cascade.AcceptOnlyFromAmong("background", "foreground", "orphan");
        var cmd = new Command("delete", "Delete resources (and, by default, their dependents)") { kindArg, namesArg, files, cascade };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            using var session = CtlSession.Create(parse, g, env);
            var policy = char.ToUpperInvariant(parse.GetValue(cascade)![0]) + parse.GetValue(cascade)![1..];
            var targets = new List<(ResourceKind Kind, string? Ns, string Name)>();
            if (parse.GetValue(files) is { Length: > 0 } paths)
            {
                foreach (var (source, doc) in ManifestFiles.Read(paths, env.In))
                {
                    var kind = ResourceKinds.ByApiVersionKind((string?)doc["apiVersion"], (string?)doc["kind"]) ?? throw new CtlException($"{source}: unknown apiVersion/kind");
                    var name = (string?)doc["metadata"]?["name"] ?? throw new CtlException($"{source}: metadata.name: required");
                    targets.Add((kind, kind.Namespaced ? (string?)doc["metadata"]?["namespace"] ?? session.Namespace : null, name));
                }
            }
            else
            {
                var kind = Names.Kind(parse.GetValue(kindArg) ?? throw new CtlException("give KIND NAME... or -f FILE"));
                var names = parse.GetValue(namesArg) ?? [];
                if (names.Length == 0) throw new CtlException($"give the name of the {kind.Kind} to delete");
                targets.AddRange(names.Select(n => (kind, kind.Namespaced ? session.Namespace : (string?)null, n)));
            }
            foreach (var (kind, ns, name) in targets)
            {
                await session.Api.DeleteAsync(kind, ns, name, policy, ct);
                await env.Out.WriteLineAsync($"{kind.Kind.ToLowerInvariant()} \"{name}\" deleted");
            }
        }));
        return cmd;
    }
}
