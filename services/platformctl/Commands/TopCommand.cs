using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.Ctl.Output;

namespace Platform.Ctl.Commands;

/// <summary>
/// <c>top nodes [NAME] [-l SELECTOR]</c> and <c>top pods [NAME] [-n NS|-A] [-l SELECTOR] [--containers]</c>, from
/// <c>metrics.k8s.io/v1beta1</c> as kubectl top prints them: CPU in millicores, memory in MiB, nodes' share of their
/// allocatable; <c>-o json|yaml</c> prints the metrics objects.
/// </summary>
public static class TopCommand
{
    private const string Api = "/apis/metrics.k8s.io/v1beta1";

    public static Command Create(GlobalOptions g, CtlEnvironment env)
    {
        var top = new Command("top", "Display resource (CPU/memory) usage of nodes or pods");
        top.Subcommands.Add(Nodes(g, env));
        top.Subcommands.Add(Pods(g, env));
        return top;
    }

    private static Command Nodes(GlobalOptions g, CtlEnvironment env)
    {
        var (name, selector, output) = CommonOptions();
        var cmd = new Command("nodes", "Display resource usage of nodes") { name, selector, output };
        cmd.Aliases.Add("node");
        cmd.Aliases.Add("no");
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            using var session = CtlSession.Create(parse, g, env);
            var items = await MetricsAsync(session, $"{Api}/nodes", parse.GetValue(name), parse.GetValue(selector), ct);
            if (await PrintedAsync(env, parse.GetValue(output), items, "NodeMetricsList", ct)) return;
            var nodes = (await session.Api.ListAsync(ResourceKinds.Node, null, null, null, ct))["items"]!.AsArray().OfType<JsonObject>()
                .ToDictionary(n => (string?)n["metadata"]?["name"] ?? "", n => n["status"]?["allocatable"] as JsonObject);
            var rows = items.OrderBy(Name, StringComparer.Ordinal).Select(m =>
            {
                var allocatable = nodes.GetValueOrDefault(Name(m));
                var (cpu, memory) = Usage(m["usage"]);
                return (IReadOnlyList<string>)[Name(m), Cores(cpu), Percent(cpu, allocatable?["cpu"]), Mebibytes(memory), Percent(memory, allocatable?["memory"])];
            });
            TablePrinter.Write(env.Console(), ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"], rows.ToList());
        }));
        return cmd;
    }

    private static Command Pods(GlobalOptions g, CtlEnvironment env)
    {
        var (name, selector, output) = CommonOptions();
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "pods of every namespace" };
        var containers = new Option<bool>("--containers") { Description = "one line per container" };
        var cmd = new Command("pods", "Display resource usage of pods") { name, selector, output, all, containers };
        cmd.Aliases.Add("pod");
        cmd.Aliases.Add("po");
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            using var session = CtlSession.Create(parse, g, env);
            var allNs = parse.GetValue(all);
            var path = allNs ? $"{Api}/pods" : $"{Api}/namespaces/{Uri.EscapeDataString(session.Namespace)}/pods";
            var items = await MetricsAsync(session, path, parse.GetValue(name), parse.GetValue(selector), ct);
            if (await PrintedAsync(env, parse.GetValue(output), items, "PodMetricsList", ct)) return;
            if (items.Count == 0)
            {
                await env.Error.WriteLineAsync(allNs ? "No resources found" : $"No resources found in {session.Namespace} namespace.");
                return;
            }
            var perContainer = parse.GetValue(containers);
            var rows = new List<IReadOnlyList<string>>();
            foreach (var m in items.OrderBy(m => (string?)m["metadata"]?["namespace"], StringComparer.Ordinal).ThenBy(Name, StringComparer.Ordinal))
            {
                var prefix = allNs ? new[] { (string?)m["metadata"]?["namespace"] ?? "" } : [];
                var list = (m["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                if (perContainer)
                    foreach (var c in list)
                    {
                        var (cpu, memory) = Usage(c["usage"]);
                        rows.Add([.. prefix, Name(m), (string?)c["name"] ?? "", Cores(cpu), Mebibytes(memory)]);
                    }
                else
                {
                    var sum = list.Select(c => Usage(c["usage"])).Aggregate((0m, 0m), (a, u) => (a.Item1 + u.Cpu, a.Item2 + u.Memory));
                    rows.Add([.. prefix, Name(m), Cores(sum.Item1), Mebibytes(sum.Item2)]);
                }
            }
            string[] headers = perContainer ? ["POD", "NAME", "CPU(cores)", "MEMORY(bytes)"] : ["NAME", "CPU(cores)", "MEMORY(bytes)"];
            TablePrinter.Write(env.Console(), allNs ? ["NAMESPACE", .. headers] : headers, rows);
        }));
        return cmd;
    }

    private static (Argument<string?> Name, Option<string?> Selector, Option<string?> Output) CommonOptions()
    {
        var name = new Argument<string?>("name") { Arity = ArgumentArity.ZeroOrOne, Description = "one object" };
        var selector = new Option<string?>("--selector", "-l") { Description = "label selector: app=web" };
        var output = new Option<string?>("--output", "-o") { Description = "json or yaml: the metrics objects" };
        output.AcceptOnlyFromAmong("json", "yaml");
        return (name, selector, output);
    }

    private static async Task<List<JsonObject>> MetricsAsync(CtlSession session, string path, string? name, string? selector, CancellationToken ct)
    {
        if (name is not null) return [(JsonObject)await session.Api.GetRawAsync($"{path}/{Uri.EscapeDataString(name)}", ct)];
        var query = selector is { Length: > 0 } ? "?labelSelector=" + Uri.EscapeDataString(selector) : "";
        var list = await session.Api.GetRawAsync(path + query, ct);
        var items = (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (items.Count == 0 && path.EndsWith("/nodes", StringComparison.Ordinal)) throw new CtlException("metrics not available yet");
        return items;
    }

    private static async Task<bool> PrintedAsync(CtlEnvironment env, string? format, List<JsonObject> items, string listKind, CancellationToken ct)
    {
        if (format is null) return false;
        var body = new JsonObject { ["kind"] = listKind, ["apiVersion"] = "metrics.k8s.io/v1beta1", ["metadata"] = new JsonObject(), ["items"] = new JsonArray([.. items.Select(i => (JsonNode)i.DeepClone())]) };
        ct.ThrowIfCancellationRequested();
        if (format == "json") await env.Out.WriteLineAsync(body.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        else await env.Out.WriteAsync(YamlOutput.ToYaml(body));
        return true;
    }

    private static string Name(JsonObject m) => (string?)m["metadata"]?["name"] ?? "";

    private static (decimal Cpu, decimal Memory) Usage(JsonNode? usage) =>
        (Quantity.TryParse((string?)usage?["cpu"], out var cpu) ? cpu : 0, Quantity.TryParse((string?)usage?["memory"], out var memory) ? memory : 0);

    private static string Cores(decimal cores) => ((long)Math.Ceiling(cores * 1000)).ToString(CultureInfo.InvariantCulture) + "m";

    private static string Mebibytes(decimal bytes) => ((long)(bytes / (1024 * 1024))).ToString(CultureInfo.InvariantCulture) + "Mi";

    private static string Percent(decimal used, JsonNode? allocatable) =>
        Quantity.TryParse((string?)allocatable, out var total) && total > 0 ? ((long)(used * 100 / total)).ToString(CultureInfo.InvariantCulture) + "%" : "<unknown>";
}
