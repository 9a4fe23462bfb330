using System.CommandLine;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.Ctl.Commands;

/// <summary>
/// <c>cordon</c>, <c>uncordon</c> and <c>drain</c> NODE, as kubectl's: cordon sets <c>spec.unschedulable</c>; drain
/// cordons, then evicts the node's pods through the eviction API (retrying every 5 s while a PodDisruptionBudget
/// answers 429) and waits until they are gone, printing each step and a table of what happened to each pod.
/// </summary>
public static class NodeCommands
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    public static IEnumerable<Command> Create(GlobalOptions g, CtlEnvironment env) =>
        [Schedulable(g, env, "cordon", unschedulable: true), Schedulable(g, env, "uncordon", unschedulable: false), Drain(g, env)];

    private static Command Schedulable(GlobalOptions g, CtlEnvironment env, string verb, bool unschedulable)
    {
        var nodeArg = new Argument<string>("node");
        var cmd = new Command(verb, unschedulable ? "Mark a node unschedulable" : "Mark a node schedulable again") { nodeArg };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            using var session = CtlSession.Create(parse, g, env);
            await SetUnschedulableAsync(session, parse.GetValue(nodeArg)!, unschedulable, verb, env, ct);
        }));
        return cmd;
    }

    private static async Task SetUnschedulableAsync(CtlSession session, string node, bool unschedulable, string verb, CtlEnvironment env, CancellationToken ct)
    {
        var current = await session.Api.GetAsync(ResourceKinds.Node, null, node, ct) ?? throw new CtlException($"Error from server (NotFound): nodes \"{node}\" not found");
        if (((bool?)current["spec"]?["unschedulable"] ?? false) == unschedulable)
        {
            await env.Out.WriteLineAsync($"node/{node} already {verb}ed");
            return;
        }
        await session.Api.PatchAsync(ResourceKinds.Node.ObjectPath(null, node), unschedulable ? "{\"spec\":{\"unschedulable\":true}}" : "{\"spec\":{\"unschedulable\":null}}", ct);
        await env.Out.WriteLineAsync($"node/{node} {verb}ed");
    }

    private static Command Drain(GlobalOptions g, CtlEnvironment env)
    {
        var nodeArg = new Argument<string>("node");
        var ignoreDaemonSets = new Option<bool>("--ignore-daemonsets") { Description = "leave DaemonSet pods (their controller would recreate them)" };
        var deleteEmptyDir = new Option<bool>("--delete-emptydir-data") { Description = "evict pods with emptyDir volumes (their data is lost)" };
        var force = new Option<bool>("--force") { Description = "evict pods no controller manages" };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "give up after this long (default 5m)", DefaultValueFactory = _ => TimeSpan.FromMinutes(5) };
        var cmd = new Command("drain", "Cordon a node and evict its pods, respecting PodDisruptionBudgets") { nodeArg, ignoreDaemonSets, deleteEmptyDir, force, timeout };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            using var session = CtlSession.Create(parse, g, env);
            var node = parse.GetValue(nodeArg)!;
            await SetUnschedulableAsync(session, node, true, "cordon", env, ct);
            var list = await session.Api.ListAsync(ResourceKinds.Pod, null, null, "spec.nodeName=" + node, ct);
            var pods = (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var plan = DrainPlan.Of(pods, parse.GetValue(ignoreDaemonSets), parse.GetValue(deleteEmptyDir), parse.GetValue(force));
            if (plan.Refusals.Count > 0) throw new CtlException("cannot drain node \"" + node + "\", errors:\n" + string.Join("\n", plan.Refusals));
            foreach (var warning in plan.Warnings) await env.Error.WriteLineAsync("Warning: " + warning);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(parse.GetValue(timeout));
            var outcomes = new List<(string Namespace, string Name, string Result)>();
            try
            {
                foreach (var pod in plan.ToEvict) outcomes.Add(await EvictAsync(session, pod, env, deadline.Token));
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new CtlException($"drain did not complete within {parse.GetValue(timeout)}");
            }
            var nsWidth = Math.Max("NAMESPACE".Length, outcomes.Select(o => o.Namespace.Length).DefaultIfEmpty().Max());
            var nameWidth = Math.Max("POD".Length, outcomes.Select(o => o.Name.Length).DefaultIfEmpty().Max());
            await env.Out.WriteLineAsync($"{"NAMESPACE".PadRight(nsWidth)}   {"POD".PadRight(nameWidth)}   RESULT");
            foreach (var (ns, name, result) in outcomes) await env.Out.WriteLineAsync($"{ns.PadRight(nsWidth)}   {name.PadRight(nameWidth)}   {result}");
            await env.Out.WriteLineAsync($"node/{node} drained");
        }));
        return cmd;
    }

    private static async Task<(string, string, string)> EvictAsync(CtlSession session, JsonObject pod, CtlEnvironment env, CancellationToken ct)
    {
        var ns = (string)pod["metadata"]!["namespace"]!;
        var name = (string)pod["metadata"]!["name"]!;
        await env.Out.WriteLineAsync($"evicting pod {ns}/{name}");
        var refusals = 0;
        while (true)
        {
            try
            {
                await session.Api.PostAsync(ResourceKinds.Pod.ObjectPath(ns, name) + "/eviction", new JsonObject
                {
                    ["apiVersion"] = "policy/v1", ["kind"] = "Eviction", ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
                }, ct);
                break;
            }
            catch (CtlException ex) when (ex.Message.Contains("(TooManyRequests)", StringComparison.Ordinal))
            {
                refusals++;
                await env.Error.WriteLineAsync($"error when evicting pods/\"{name}\" -n \"{ns}\" (will retry after 5s): {ex.Message}");
                await Task.Delay(RetryInterval, ct);
            }
            catch (CtlException ex) when (ex.Message.Contains("(NotFound)", StringComparison.Ordinal))
            {
                return (ns, name, "already gone");
            }
        }
        while (await session.Api.GetAsync(ResourceKinds.Pod, ns, name, ct) is { } still && (string?)still["metadata"]?["uid"] == (string?)pod["metadata"]?["uid"])
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        await env.Out.WriteLineAsync($"pod/{name} evicted");
        return (ns, name, refusals == 0 ? "evicted" : $"evicted after {refusals} budget refusal(s)");
    }
}
