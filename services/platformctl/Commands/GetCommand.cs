using System.CommandLine;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.Ctl.Output;
using Platform.Manifests.Printing;

namespace Platform.Ctl.Commands;

/// <summary><c>get KIND[,KIND...] [NAME] [-n NS|-A] [-l SELECTOR] [-o wide|json|yaml|name] [-w]</c>.</summary>
public static class GetCommand
{
    public static Command Create(GlobalOptions g, CtlEnvironment env)
    {
        var kindArg = new Argument<string>("kind") { Description = "pods, deployments, svc, nodes ... (plural, singular or short name); several separated by commas: pods,deployments" };
        var nameArg = new Argument<string?>("name") { Description = "one object", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "list across all namespaces" };
        var selector = new Option<string?>("--selector", "-l") { Description = "label selector: app=web, tier in (a,b), !canary" };
        var fieldSelector = new Option<string?>("--field-selector") { Description = "spec.nodeName=n1, status.phase=Running, metadata.name=x" };
        var output = new Option<string?>("--output", "-o") { Description = "wide, json, yaml or name" };
        output.AcceptOnlyFromAmong("wide", "json", "yaml", "name");
        var watch = new Option<bool>("--watch", "-w") { Description = "after listing, print changes as they happen" };
        var cmd = new Command("get", "Display one or many resources") { kindArg, nameArg, all, selector, fieldSelector, output, watch };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            using var session = CtlSession.Create(parse, g, env);
            var kinds = parse.GetValue(kindArg)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Names.Kind).Distinct().ToList();
            var name = parse.GetValue(nameArg);
            var format = parse.GetValue(output);
            if (kinds.Count != 1)
            {
                if (kinds.Count == 0) throw new CtlException("you must specify the type of resource to get");
                if (parse.GetValue(watch)) throw new CtlException("you may only specify a single resource type with --watch");
                var query = new GetKinds.Query(name, parse.GetValue(all), session.Namespace, parse.GetValue(selector), parse.GetValue(fieldSelector), format);
                await GetKinds.RunAsync(session.Api, env, kinds, query, ct);
                return;
            }
            var kind = kinds[0];
            var allNs = parse.GetValue(all) && kind.Namespaced;
            var ns = kind.Namespaced && !allNs ? session.Namespace : null;
            JsonObject result;
            List<JsonObject> items;
            if (name is not null)
            {
                result = await session.Api.GetAsync(kind, ns, name, ct) ?? throw new CtlException($"{kind.QualifiedPlural} \"{name}\" not found");
                items = [result];
            }
            else
            {
                result = await session.Api.ListAsync(kind, ns, parse.GetValue(selector), parse.GetValue(fieldSelector), ct);
                items = (result["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            }
            var console = env.Console();
            var (headers, row) = TableColumns.For(kind, format == "wide", env.Now);
            IReadOnlyList<string> Row(JsonObject o) => allNs ? [(string?)o["metadata"]?["namespace"] ?? "", .. row(o)] : row(o);
            IReadOnlyList<string> hs = allNs ? ["NAMESPACE", .. headers] : headers;
            switch (format)
            {
                case "json": await env.Out.WriteLineAsync(result.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true })); break;
                case "yaml": await env.Out.WriteAsync(YamlOutput.ToYaml(result)); break;
                case "name": foreach (var o in items) await env.Out.WriteLineAsync(Names.Of(kind, (string?)o["metadata"]?["name"] ?? "")); break;
                default:
                    if (items.Count == 0 && !parse.GetValue(watch))
                        await env.Error.WriteLineAsync(ns is null ? $"No resources found" : $"No resources found in {ns} namespace.");
                    else TablePrinter.Write(console, hs, items.Select(Row));
                    break;
            }
            if (!parse.GetValue(watch)) return;
            var rv = name is null ? (string?)result["metadata"]?["resourceVersion"] ?? "0" : (string?)result["metadata"]?["resourceVersion"] ?? "0";
            await foreach (var e in session.Api.WatchAsync(kind, ns, parse.GetValue(selector), rv, ct))
            {
                if (e["object"] is not JsonObject o || (name is not null && (string?)o["metadata"]?["name"] != name)) continue;
                if (format is "json" or "yaml") await env.Out.WriteLineAsync(format == "json" ? e.ToJsonString() : "---\n" + YamlOutput.ToYaml(e));
                else TablePrinter.Write(console, hs, [Row(o)], withHeaders: false);
                await env.Out.FlushAsync(ct);
            }
        }));
        return cmd;
    }
}
