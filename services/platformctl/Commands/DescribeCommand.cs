using System.CommandLine;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.Ctl.Output;
using Platform.Manifests.Printing;

namespace Platform.Ctl.Commands;

/// <summary><c>describe KIND NAME</c>: metadata, spec and status in readable form, then the object's Events.</summary>
public static class DescribeCommand
{
    public static Command Create(GlobalOptions g, CtlEnvironment env)
    {
        var kindArg = new Argument<string>("kind");
        var nameArg = new Argument<string>("name");
        var cmd = new Command("describe", "Show details of a resource and its events") { kindArg, nameArg };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            using var session = CtlSession.Create(parse, g, env);
            var kind = Names.Kind(parse.GetValue(kindArg)!);
            var name = parse.GetValue(nameArg)!;
            var ns = kind.Namespaced ? session.Namespace : null;
            var o = await session.Api.GetAsync(kind, ns, name, ct) ?? throw new CtlException($"{kind.QualifiedPlural} \"{name}\" not found");
            var meta = o["metadata"] as JsonObject ?? [];
            var w = env.Out;
            await w.WriteLineAsync($"Name:               {name}");
            if (ns is not null) await w.WriteLineAsync($"Namespace:          {ns}");
            await w.WriteLineAsync($"Kind:               {kind.Kind} ({kind.ApiVersion})");
            await w.WriteLineAsync($"Labels:             {Pairs(meta["labels"])}");
            await w.WriteLineAsync($"Annotations:        {Pairs(meta["annotations"])}");
            await w.WriteLineAsync($"CreationTimestamp:  {meta["creationTimestamp"]}");
            await w.WriteLineAsync($"ResourceVersion:    {meta["resourceVersion"]}");
            if (meta["ownerReferences"] is JsonArray owners)
                await w.WriteLineAsync($"Controlled By:      {string.Join(", ", owners.Select(r => $"{r?["kind"]}/{r?["name"]}"))}");
            foreach (var section in new[] { "spec", "data", "status" })
            {
                if (o[section] is not { } node) continue;
                var shown = section == "data" && kind == ResourceKinds.Secret ? SecretSizes(node) : node;
                await w.WriteLineAsync($"{char.ToUpperInvariant(section[0])}{section[1..]}:");
                foreach (var line in YamlOutput.ToYaml(shown).TrimEnd().Split('\n')) await w.WriteLineAsync("  " + line);
            }
            var events = kind == ResourceKinds.Event ? null : await session.Api.ListAsync(ResourceKinds.Event, ns ?? "default", null, $"involvedObject.name={name},involvedObject.kind={kind.Kind}", ct);
            var items = (events?["items"] as JsonArray ?? []).OfType<JsonObject>().OrderBy(e => (string?)e["lastTimestamp"]).ToList();
            if (items.Count == 0)
            {
                await w.WriteLineAsync("Events:             <none>");
                return;
            }
            await w.WriteLineAsync("Events:");
            TablePrinter.Write(env.Console(), ["  TYPE", "REASON", "AGE", "FROM", "MESSAGE"], items.Select(e => (IReadOnlyList<string>)
                ["  " + e["type"], e["reason"]?.ToString() ?? "", Age.Since((string?)e["lastTimestamp"], env.Now), e["source"]?["component"]?.ToString() ?? "", e["message"]?.ToString() ?? ""]));
        }));
        return cmd;
    }

    private static string Pairs(JsonNode? map) =>
        map is JsonObject o && o.Count > 0 ? string.Join("\n                    ", o.Select(kv => $"{kv.Key}={kv.Value}")) : "<none>";

    private static JsonObject SecretSizes(JsonNode data) =>
        new((data as JsonObject ?? []).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)$"{Convert.FromBase64String(kv.Value?.ToString() ?? "").Length} bytes")));
}
