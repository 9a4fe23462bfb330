using System.CommandLine;
using Platform.Ctl.Config;
using Platform.Ctl.Output;

namespace Platform.Ctl.Commands;

/// <summary><c>config set-context|use-context|get-contexts|current-context|view</c> on the config file.</summary>
public static class ConfigCommand
{
    public static Command Create(GlobalOptions g, CtlEnvironment env)
    {
        var name = new Argument<string>("name");
        var server = new Option<string?>("--server") { Description = "apiserver URL of the context" };
        var token = new Option<string?>("--token") { Description = "token of the context" };
        var ns = new Option<string?>("--namespace") { Description = "default namespace of the context" };
        var set = new Command("set-context", "Create or change a context (and make it current if it is the first)") { name, server, token, ns };
        set.SetAction(CtlApp.Action(env, (parse, _) =>
        {
            var path = g.ConfigPath(parse, env);
            var config = CtlConfig.Load(path);
            var n = parse.GetValue(name)!;
            var old = config.Contexts.FirstOrDefault(c => c.Name == n);
            var updated = new CtlContext
            {
                Name = n,
                Server = parse.GetValue(server) ?? old?.Server,
                Token = parse.GetValue(token) ?? old?.Token,
                Namespace = parse.GetValue(ns) ?? old?.Namespace,
            };
            var contexts = config.Contexts.Where(c => c.Name != n).Append(updated).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
            (config with { Contexts = contexts, CurrentContext = config.CurrentContext ?? n }).Save(path);
            return env.Out.WriteLineAsync($"Context \"{n}\" {(old is null ? "created" : "modified")}.");
        }));

        var useName = new Argument<string>("name");
        var use = new Command("use-context", "Make a context current") { useName };
        use.SetAction(CtlApp.Action(env, (parse, _) =>
        {
            var path = g.ConfigPath(parse, env);
            var config = CtlConfig.Load(path);
            var n = parse.GetValue(useName)!;
            if (config.Contexts.All(c => c.Name != n)) throw new CtlException($"no context exists with the name: \"{n}\"");
            (config with { CurrentContext = n }).Save(path);
            return env.Out.WriteLineAsync($"Switched to context \"{n}\".");
        }));

        var list = new Command("get-contexts", "List contexts");
        list.SetAction(CtlApp.Action(env, (parse, _) =>
        {
            var config = CtlConfig.Load(g.ConfigPath(parse, env));
            TablePrinter.Write(env.Console(), ["CURRENT", "NAME", "SERVER", "NAMESPACE"],
                config.Contexts.Select(c => (IReadOnlyList<string>)[c.Name == config.CurrentContext ? "*" : "", c.Name, c.Server ?? "", c.Namespace ?? "default"]));
            return Task.CompletedTask;
        }));

        var current = new Command("current-context", "Print the current context");
        current.SetAction(CtlApp.Action(env, (parse, _) =>
            env.Out.WriteLineAsync(CtlConfig.Load(g.ConfigPath(parse, env)).CurrentContext ?? throw new CtlException("current-context is not set"))));

        var view = new Command("view", "Print the config file, tokens redacted");
        view.SetAction(CtlApp.Action(env, (parse, _) =>
        {
            var config = CtlConfig.Load(g.ConfigPath(parse, env));
            var redacted = config with { Contexts = config.Contexts.Select(c => c with { Token = c.Token is null ? null : "REDACTED" }).ToList() };
            return env.Out.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(redacted, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { WriteIndented = true }));
        }));
        return new Command("config", "Manage contexts (server, token, namespace) in ~/.platformctl/config.json") { set, use, list, current, view };
    }
}
