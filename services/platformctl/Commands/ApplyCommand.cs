using System.CommandLine;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.Ctl.Manifests;

namespace Platform.Ctl.Commands;

/// <summary>
/// <c>apply -f FILE|DIR|-</c>: creates each object or replaces it with the manifest (keeping its status), printing
/// <c>created</c>, <c>configured</c> or <c>unchanged</c>. Every document is attempted; the exit code is 1 if any failed.
/// </summary>
public static class ApplyCommand
{
    public static Command Create(GlobalOptions g, CtlEnvironment env)
    {
        var files = new Option<string[]>("--filename", "-f") { Description = "file, folder or - (stdin) of YAML or JSON manifests", Required = true, AllowMultipleArgumentsPerToken = false };
        var cmd = new Command("apply", "Create or update resources from manifests") { files };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            using var session = CtlSession.Create(parse, g, env);
            var failed = 0;
            foreach (var (source, doc) in ManifestFiles.Read(parse.GetValue(files)!, env.In))
            {
                try
                {
                    await env.Out.WriteLineAsync(await ApplyOneAsync(session, doc, env, ct));
                }
                catch (CtlException ex)
                {
                    failed++;
                    await env.Error.WriteLineAsync($"error: {source}: {ex.Message}");
                }
            }
            if (failed > 0) throw new CtlException($"{failed} object(s) not applied");
        }));
        return cmd;
    }

    private static async Task<string> ApplyOneAsync(CtlSession session, JsonObject doc, CtlEnvironment env, CancellationToken ct)
    {
        var apiVersion = (doc["apiVersion"] as JsonValue)?.ToString();
        var kindName = (doc["kind"] as JsonValue)?.ToString();
        if (string.IsNullOrEmpty(kindName)) throw new CtlException("kind: required (e.g. kind: Pod)");
        if (string.IsNullOrEmpty(apiVersion)) throw new CtlException("apiVersion: required (e.g. apiVersion: v1)");
        var kind = ResourceKinds.ByApiVersionKind(apiVersion, kindName)
            ?? throw new CtlException($"no kind \"{kindName}\" in version \"{apiVersion}\" (served: {string.Join(", ", ResourceKinds.All.Select(k => $"{k.ApiVersion}/{k.Kind}"))})");
        var name = (doc["metadata"]?["name"] as JsonValue)?.ToString();
        if (string.IsNullOrEmpty(name)) throw new CtlException("metadata.name: required");
        var ns = kind.Namespaced ? (doc["metadata"]?["namespace"] as JsonValue)?.ToString() ?? session.Namespace : null;
        var id = Names.Of(kind, name);
        var current = await session.Api.GetAsync(kind, ns, name, ct);
        if (current is null)
        {
            var (_, warnings) = await session.Api.CreateAsync(kind, ns, doc, ct);
            await WarnAsync(env, warnings);
            return $"{id} created";
        }
        var desired = (JsonObject)doc.DeepClone();
        if (desired["metadata"] is JsonObject meta) meta["resourceVersion"] = current["metadata"]?["resourceVersion"]?.DeepClone();
        var (_, changed, replaceWarnings) = await session.Api.ReplaceAsync(kind, ns, name, desired, ct);
        await WarnAsync(env, replaceWarnings);
        return $"{id} {(changed ? "configured" : "unchanged")}";
    }

    private static async Task WarnAsync(CtlEnvironment env, IReadOnlyList<string> warnings)
    {
        foreach (var w in warnings) await env.Error.WriteLineAsync("Warning: " + w);
    }
}
