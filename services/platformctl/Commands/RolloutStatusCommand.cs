using System.CommandLine;
using System.Text.Json.Nodes;

namespace Platform.Ctl.Commands;

/// <summary>
/// <c>rollout status deployment|daemonset|statefulset/NAME [--timeout 5m] [-w=false]</c>: prints each new progress line until the rollout
/// completes (exit 0), exceeds its progress deadline (exit 1) or the timeout passes (exit 1). Changes are followed
/// with the apiserver's <c>?watch=true</c> stream, started from the list's resourceVersion so nothing is missed
/// between the read and the watch; a stream the server ends (its own timeout) is simply reopened.
/// </summary>
public static class RolloutStatusCommand
{
    public static Command Create(GlobalOptions g, CtlEnvironment env)
    {
        var target = new Argument<string>("resource") { Description = "deployment/NAME, daemonset/NAME or statefulset/NAME (or: TYPE NAME)" };
        var name = new Argument<string?>("name") { Arity = ArgumentArity.ZeroOrOne, Description = "the name, when the type is given separately" };
        var timeout = new Option<string>("--timeout") { Description = "give up after this long (90s, 5m; 0 waits forever)", DefaultValueFactory = _ => "0s" };
        var watch = new Option<bool>("--watch", "-w") { Description = "follow the rollout until it ends (-w=false: print the current state once)", DefaultValueFactory = _ => true };
        var cmd = new Command("status", "Show the status of a rollout, following it until it ends") { target, name, timeout, watch };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            var t = RolloutTarget.Parse(parse.GetValue(target)!, parse.GetValue(name));
            var limit = DurationText.Parse("--timeout", parse.GetValue(timeout)!);
            using var session = CtlSession.Create(parse, g, env);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (limit > TimeSpan.Zero) deadline.CancelAfter(limit);
            try
            {
                await FollowAsync(session, t, parse.GetValue(watch), env, deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw new CtlException($"timed out waiting for the condition ({t.Kind.Kind.ToLowerInvariant()} \"{t.Name}\" rollout did not finish within {parse.GetValue(timeout)})");
            }
        }));
        return cmd;
    }

    private static async Task FollowAsync(CtlSession session, RolloutTarget t, bool follow, CtlEnvironment env, CancellationToken ct)
    {
        string? last = null;
        async Task<bool> ShowAsync(JsonObject d)
        {
            var p = t.IsDeployment ? DeploymentProgress.Of(d) : SetProgress.Of(t.Kind, d);
            if (p.Failed) throw new CtlException(p.Message);
            // The same reading arrives again with every status heartbeat; print only what changed.
            if (p.Message != last) await env.Out.WriteLineAsync(p.Message);
            await env.Out.FlushAsync(ct);
            last = p.Message;
            return p.Done;
        }

        while (true)
        {
            var list = await session.Api.ListAsync(t.Kind, session.Namespace, null, "metadata.name=" + t.Name, ct);
            var d = (list["items"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault()
                ?? throw new CtlException($"Error from server (NotFound): {t.Kind.QualifiedPlural} \"{t.Name}\" not found");
            if (await ShowAsync(d) || !follow) return;
            var rv = (string?)list["metadata"]?["resourceVersion"] ?? "0";
            await foreach (var e in session.Api.WatchAsync(t.Kind, session.Namespace, null, rv, ct))
            {
                if (e["object"] is not JsonObject o || (string?)o["metadata"]?["name"] != t.Name) continue;
                if ((string?)e["type"] == "DELETED") throw new CtlException($"{t.Kind.Kind.ToLowerInvariant()} \"{t.Name}\" was deleted during the rollout");
                if (await ShowAsync(o)) return;
            }
        }
    }
}
