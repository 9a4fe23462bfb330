using Platform.Connect.Api.Config;
using Platform.Connect.Api.Connectors;
using Platform.Connect.Api.Transforms;
using Platform.Connect.Plugins;

namespace Platform.Connect.Runtime;

/// <summary>
/// Validates a connector configuration the way Kafka Connect's AbstractHerder.validateConnectorConfig does: the common
/// settings, the connector's own, each transform's and predicate's (prefixed <c>transforms.&lt;alias&gt;.</c>), converters,
/// and a sink's topics. Every key gets its own error list, so a client can show them next to the fields.
/// </summary>
internal sealed class ConfigValidator(PluginRegistry plugins)
{
    public ConfigInfos Validate(IReadOnlyDictionary<string, string> props)
    {
        props.TryGetValue(ConnectorConfig.ConnectorClass, out var className);
        var connector = plugins.Find(className, PluginKind.Source, PluginKind.Sink);
        var def = ConnectorConfig.Common(v => plugins.Find(v, PluginKind.Source, PluginKind.Sink) is null
            ? $"Class {v} could not be found." : null);
        var groups = new List<string> { ConnectorConfig.CommonGroup, ConnectorConfig.TransformsGroup, ConnectorConfig.PredicatesGroup, ConnectorConfig.ErrorGroup };
        var extraErrors = new Dictionary<string, List<string>>();
        if (connector?.Kind == PluginKind.Sink)
        {
            def.Merge(ConnectorConfig.Sink());
            var topics = props.GetValueOrDefault(ConnectorConfig.Topics, "").Trim();
            var regex = props.GetValueOrDefault(ConnectorConfig.TopicsRegex, "").Trim();
            if (topics.Length == 0 && regex.Length == 0)
                extraErrors[ConnectorConfig.Topics] = ["Must configure one of topics or topics.regex"];
            else if (topics.Length > 0 && regex.Length > 0)
                extraErrors[ConnectorConfig.Topics] = ["topics and topics.regex are mutually exclusive options, but both are set."];
            var dlq = props.GetValueOrDefault(ConnectorConfig.DlqTopic, "").Trim();
            if (dlq.Length > 0 && topics.Split(',', StringSplitOptions.TrimEntries).Contains(dlq))
                extraErrors[ConnectorConfig.DlqTopic] = [$"The DLQ topic '{dlq}' may not be included in the list of topics ('{ConnectorConfig.Topics}={topics}') consumed by the connector"];
        }
        foreach (var key in new[] { ConnectorConfig.KeyConverter, ConnectorConfig.ValueConverter })
            if (props.TryGetValue(key, out var conv) && plugins.Find(conv, PluginKind.Converter) is null)
                extraErrors[key] = [$"Invalid value {conv} for configuration {key}: Class {conv} could not be found."];

        if (connector is not null)
        {
            var instance = plugins.Create<IConnector>(connector);
            def.Merge(Prefix(instance.Config, "", connector.ClassName.Split('.').Last(), groups));
            foreach (var (key, error) in instance.Validate(props))
                (extraErrors.TryGetValue(key, out var list) ? list : extraErrors[key] = []).Add(error);
        }
        AddAliased(def, props, "transforms", ConnectorConfig.Transforms, PluginKind.Transformation, groups);
        AddAliased(def, props, "predicates", ConnectorConfig.Predicates, PluginKind.Predicate, groups);

        var errors = def.Validate(props);
        var configs = new List<ConfigInfo>();
        var order = 0;
        foreach (var key in def.Keys)
        {
            var list = errors[key.Name].Concat(extraErrors.GetValueOrDefault(key.Name) ?? []).ToList();
            configs.Add(new ConfigInfo(
                new ConfigKeyInfo(key.Name, key.Type.ToString().ToUpperInvariant(), key.Required, key.DefaultValue, key.Importance.ToString().ToUpperInvariant(),
                    key.Documentation, key.Group, ++order, "NONE", key.Name, []),
                new ConfigValueInfo(key.Name, props.GetValueOrDefault(key.Name) ?? key.DefaultValue, key.RecommendedValues ?? [], list, true)));
        }
        // Errors on keys no definition covers (a transform alias without .type) still reach the client.
        foreach (var (name, list) in extraErrors.Where(e => def.Keys.All(k => k.Name != e.Key)))
            configs.Add(new ConfigInfo(
                new ConfigKeyInfo(name, "STRING", true, null, "HIGH", "", null, ++order, "NONE", name, []),
                new ConfigValueInfo(name, props.GetValueOrDefault(name), [], list, true)));
        return new ConfigInfos(connector?.ClassName ?? className ?? "", configs.Sum(c => c.Value.Errors.Count), groups.Distinct().ToList(), configs);
    }

    private void AddAliased(ConfigDef def, IReadOnlyDictionary<string, string> props, string prefix, string listKey, PluginKind kind,
        List<string> groups)
    {
        var aliases = props.GetValueOrDefault(listKey, "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var alias in aliases)
        {
            var typeKey = $"{prefix}.{alias}.type";
            var group = $"{(kind == PluginKind.Transformation ? "Transforms" : "Predicates")}: {alias}";
            groups.Add(group);
            def.Define(new ConfigKey(typeKey, ConfigType.Class, null, true, Importance.High,
                $"Class for the '{alias}' {kind.ToString().ToLowerInvariant()}.", group,
                v => plugins.Find(v, kind) is null ? $"Class {v} could not be found." : null));
            if (kind == PluginKind.Transformation)
            {
                def.Define(new ConfigKey($"{prefix}.{alias}.predicate", ConfigType.String, null, false, Importance.Medium,
                    "The alias of a predicate used to determine whether to apply this transformation.", group,
                    v => AliasesOf(props, ConnectorConfig.Predicates).Contains(v) ? null : $"Predicate '{v}' is not listed in '{ConnectorConfig.Predicates}'"));
                def.Define(new ConfigKey($"{prefix}.{alias}.negate", ConfigType.Boolean, "false", false, Importance.Medium,
                    "Whether the configured predicate should be negated.", group));
            }
            if (plugins.Find(props.GetValueOrDefault(typeKey), kind) is not { } plugin) continue;
            var config = kind == PluginKind.Transformation ? plugins.Create<ITransformation>(plugin).Config : plugins.Create<IPredicate>(plugin).Config;
            def.Merge(Prefix(config, $"{prefix}.{alias}.", group, groups));
        }
    }

    private static IReadOnlyList<string> AliasesOf(IReadOnlyDictionary<string, string> props, string key) =>
        props.GetValueOrDefault(key, "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static ConfigDef Prefix(ConfigDef config, string prefix, string group, List<string> groups)
    {
        var result = new ConfigDef();
        foreach (var key in config.Keys)
        {
            var g = key.Group ?? group;
            if (!groups.Contains(g)) groups.Add(g);
            result.Define(key with { Name = prefix + key.Name, Group = g });
        }
        return result;
    }
}
