using System.CommandLine;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Contracts.Resources;
using Platform.Ctl.Output;

namespace Platform.Ctl.Commands;

/// <summary>
/// <c>kafka topics create|list|describe|alter|delete</c>: the workflow of Kafka's <c>kafka-topics.sh</c>, done through
/// KafkaTopic resources (the controller-manager makes the broker follow them). A topic is named by its broker name;
/// its resource has the same name when that is a valid resource name, else a lower-cased one with
/// <c>spec.topicName</c> set.
/// </summary>
public static partial class KafkaTopicsCommand
{
    private static ResourceKind Kind => ResourceKinds.KafkaTopic;

    public static Command Create(GlobalOptions g, CtlEnvironment env)
    {
        var topics = new Command("topics", "Create, list, describe, alter and delete Kafka topics (KafkaTopic resources)")
        {
            CreateTopic(g, env), ListTopics(g, env), DescribeTopic(g, env), AlterTopic(g, env), DeleteTopic(g, env),
        };
        return new Command("kafka", "Kafka on the platform") { topics };
    }

    private static Option<int?> Partitions() => new("--partitions") { Description = "the partition count (create: default the broker's; alter: may only grow)" };

    private static Option<string[]> Configs() => new("--config") { Description = "a topic config KEY=VALUE (repeatable): retention.ms=7200000", AllowMultipleArgumentsPerToken = false };

    private static Option<string?> Output() => new Option<string?>("--output", "-o") { Description = "json or yaml" }.Only("json", "yaml");

    private static Option<string?> Only(this Option<string?> o, params string[] values)
    {
        o.AcceptOnlyFromAmong(values);
        return o;
    }

    private static Command CreateTopic(GlobalOptions g, CtlEnvironment env)
    {
        var topic = new Argument<string>("topic");
        var partitions = Partitions();
        var replicas = new Option<int?>("--replication-factor", "--replicas") { Description = "the replication factor (default: the broker's)" };
        var configs = Configs();
        var cmd = new Command("create", "Create a topic") { topic, partitions, replicas, configs };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            using var session = CtlSession.Create(parse, g, env);
            var name = parse.GetValue(topic)!;
            var resource = ResourceName(name);
            var spec = new JsonObject();
            if (resource != name) spec["topicName"] = name;
            if (parse.GetValue(partitions) is { } p) spec["partitions"] = p;
            if (parse.GetValue(replicas) is { } r) spec["replicas"] = r;
            if (ParseConfigs(parse.GetValue(configs)) is { Count: > 0 } config) spec["config"] = config;
            await session.Api.CreateAsync(Kind, session.Namespace, new JsonObject
            {
                ["apiVersion"] = Kind.ApiVersion, ["kind"] = Kind.Kind, ["metadata"] = new JsonObject { ["name"] = resource }, ["spec"] = spec,
            }, ct);
            await env.Out.WriteLineAsync($"Created topic {name} ({Names.Of(Kind, resource)}).");
        }));
        return cmd;
    }

    private static Command ListTopics(GlobalOptions g, CtlEnvironment env)
    {
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "topics of every namespace" };
        var output = Output();
        var cmd = new Command("list", "List topics with their partitions, replication factor and readiness") { all, output };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            using var session = CtlSession.Create(parse, g, env);
            await GetKinds.RunAsync(session.Api, env, [Kind], new GetKinds.Query(null, parse.GetValue(all), session.Namespace, null, null, parse.GetValue(output)), ct);
        }));
        return cmd;
    }

    private static Command DescribeTopic(GlobalOptions g, CtlEnvironment env)
    {
        var topic = new Argument<string>("topic");
        var output = Output();
        var cmd = new Command("describe", "Show a topic as the broker has it: partitions, replication factor, configs, readiness") { topic, output };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            using var session = CtlSession.Create(parse, g, env);
            var o = await FindAsync(session, parse.GetValue(topic)!, ct);
            switch (parse.GetValue(output))
            {
                case "json": await env.Out.WriteLineAsync(o.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true })); return;
                case "yaml": await env.Out.WriteAsync(YamlOutput.ToYaml(o)); return;
            }
            await env.Out.WriteAsync(Describe(o));
        }));
        return cmd;
    }

    private static Command AlterTopic(GlobalOptions g, CtlEnvironment env)
    {
        var topic = new Argument<string>("topic");
        var partitions = Partitions();
        var configs = Configs();
        var delete = new Option<string[]>("--delete-config") { Description = "a topic config KEY to remove (repeatable)" };
        var cmd = new Command("alter", "Change a topic's partitions or configs") { topic, partitions, configs, delete };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            using var session = CtlSession.Create(parse, g, env);
            var o = await FindAsync(session, parse.GetValue(topic)!, ct);
            var spec = new JsonObject();
            if (parse.GetValue(partitions) is { } p) spec["partitions"] = p;
            var config = ParseConfigs(parse.GetValue(configs));
            foreach (var key in parse.GetValue(delete) ?? []) config[key] = null;
            if (config.Count > 0) spec["config"] = config;
            if (spec.Count == 0) throw new CtlException("nothing to alter: give --partitions, --config or --delete-config");
            var name = (string)o["metadata"]!["name"]!;
            await session.Api.PatchAsync(Kind.ObjectPath(session.Namespace, name), new JsonObject { ["spec"] = spec }.ToJsonString(), ct);
            await env.Out.WriteLineAsync($"{Names.Of(Kind, name)} altered");
        }));
        return cmd;
    }

    private static Command DeleteTopic(GlobalOptions g, CtlEnvironment env)
    {
        var topic = new Argument<string>("topic");
        var cmd = new Command("delete", "Delete a topic (its KafkaTopic; the controller deletes the broker topic it created)") { topic };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            using var session = CtlSession.Create(parse, g, env);
            var name = (string)(await FindAsync(session, parse.GetValue(topic)!, ct))["metadata"]!["name"]!;
            await session.Api.DeleteAsync(Kind, session.Namespace, name, "Background", ct);
            await env.Out.WriteLineAsync($"{Names.Of(Kind, name)} deleted");
        }));
        return cmd;
    }

    /// <summary>The topic's name when it is a valid resource name (a DNS subdomain), else a lower-cased one.</summary>
    internal static string ResourceName(string topic) =>
        ResourceNameRule().IsMatch(topic) && topic.Length <= 253 ? topic : InvalidResourceChars().Replace(topic.ToLowerInvariant(), "-").Trim('-', '.');

    /// <summary>The KafkaTopic of this namespace whose broker topic is <paramref name="topic"/>.</summary>
    private static async Task<JsonObject> FindAsync(CtlSession session, string topic, CancellationToken ct)
    {
        if (await session.Api.GetAsync(Kind, session.Namespace, ResourceName(topic), ct) is { } direct && TopicOf(direct) == topic) return direct;
        var list = await session.Api.ListAsync(Kind, session.Namespace, null, null, ct);
        return (list["items"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(o => TopicOf(o) == topic)
            ?? throw new CtlException($"topic \"{topic}\" not found in namespace \"{session.Namespace}\"");
    }

    private static string TopicOf(JsonObject o) => (string?)o["spec"]?["topicName"] ?? (string?)o["metadata"]?["name"] ?? "";

    private static JsonObject ParseConfigs(string[]? pairs)
    {
        var config = new JsonObject();
        foreach (var pair in pairs ?? [])
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0) throw new CtlException($"--config {pair}: expected KEY=VALUE");
            config[pair[..at]] = pair[(at + 1)..];
        }
        return config;
    }

    /// <summary><c>kafka-topics.sh --describe</c>'s facts, as labelled lines.</summary>
    private static string Describe(JsonObject o)
    {
        var status = o["status"];
        var ready = (status?["conditions"] as JsonArray ?? []).FirstOrDefault(c => (string?)c?["type"] == "Ready");
        var configs = (o["spec"]?["config"] as JsonObject ?? []).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}");
        var lines = new List<(string, string)>
        {
            ("Topic", TopicOf(o)),
            ("Resource", $"{o["metadata"]?["namespace"]}/{o["metadata"]?["name"]}"),
            ("PartitionCount", $"{status?["partitions"]?.ToString() ?? "<unknown>"}{(o["spec"]?["partitions"] is { } p ? $" (spec {p})" : "")}"),
            ("ReplicationFactor", $"{status?["replicas"]?.ToString() ?? "<unknown>"}{(o["spec"]?["replicas"] is { } r ? $" (spec {r})" : "")}"),
            ("Configs", string.Join(",", configs) is { Length: > 0 } c ? c : "<none>"),
            ("Ready", ready is null ? "<unknown>" : $"{ready["status"]} ({ready["reason"]})"),
        };
        if ((string?)ready?["message"] is { Length: > 0 } message) lines.Add(("Message", message));
        var width = lines.Max(l => l.Item1.Length) + 2;
        return string.Concat(lines.Select(l => (l.Item1 + ":").PadRight(width) + l.Item2 + "\n"));
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex ResourceNameRule();

    [GeneratedRegex("[^-a-z0-9.]+")]
    private static partial Regex InvalidResourceChars();
}
