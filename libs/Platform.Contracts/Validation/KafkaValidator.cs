using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>
/// KafkaTopic and KafkaConnector (<c>kafka.platform.io/v1</c>), checked as a CustomResourceDefinition's OpenAPI schema
/// would check Strimzi's kinds, in the words of Kubernetes' schema validation; topic names as Kafka checks them.
/// </summary>
public static partial class KafkaValidator
{
    /// <summary>The longest topic name Kafka accepts.</summary>
    public const int MaxTopicNameLength = 249;

    public static void ValidateTopic(KafkaTopic topic, FieldErrors errors)
    {
        var spec = topic.Spec;
        if (spec.TopicName is { } name) CheckTopicName(name, "spec.topicName", errors);
        // A resource name is a DNS subdomain (checked with the metadata): only Kafka's shorter limit is left.
        else if (topic.Metadata.Name is { Length: > MaxTopicNameLength })
            errors.Invalid("metadata.name", $"Too long: may not be more than {MaxTopicNameLength} bytes (a topic name's limit; set spec.topicName)");
        AtLeastOne(spec.Partitions, "spec.partitions", errors);
        AtLeastOne(spec.Replicas, "spec.replicas", errors);
        CheckStrings(spec.Config, "spec.config", errors);
    }

    public static void ValidateConnector(KafkaConnector connector, FieldErrors errors)
    {
        var spec = connector.Spec;
        if (string.IsNullOrWhiteSpace(spec.Class)) errors.Invalid("spec.class", "Required value");
        AtLeastOne(spec.TasksMax, "spec.tasksMax", errors);
        if (spec.State is { } state && !KafkaConnector.States.Contains(state))
            errors.Invalid("spec.state", $"Unsupported value: \"{state}\": supported values: {string.Join(", ", KafkaConnector.States.Select(s => $"\"{s}\""))}");
        CheckStrings(spec.Config, "spec.config", errors);
        foreach (var (key, field) in new[] { ("connector.class", "spec.class"), ("tasks.max", "spec.tasksMax"), ("name", "metadata.name") })
            if (spec.Config?.ContainsKey(key) == true)
                errors.Invalid($"spec.config.{key}", $"Forbidden: set by {field}");
    }

    /// <summary>A topic's broker name cannot change: the controller would leave the old topic behind.</summary>
    public static void ValidateUpdate(Resource r, Resource old, FieldErrors errors)
    {
        if (r is KafkaTopic now && old is KafkaTopic was && now.BrokerTopicName != was.BrokerTopicName)
            errors.Invalid(now.Spec.TopicName is null ? "metadata.name" : "spec.topicName", "Invalid value: field is immutable: the broker topic's name cannot change");
    }

    private static void CheckTopicName(string name, string path, FieldErrors errors)
    {
        if (name.Length == 0) errors.Invalid(path, "Required value");
        else if (name.Length > MaxTopicNameLength) errors.Invalid(path, $"Too long: may not be more than {MaxTopicNameLength} bytes");
        else if (name is "." or "..") errors.Invalid(path, $"Invalid value: \"{name}\": a topic name cannot be '.' or '..'");
        else if (!TopicName().IsMatch(name))
            errors.Invalid(path, $"Invalid value: \"{name}\": a topic name may contain only ASCII letters, digits, '.', '_' and '-'");
    }

    private static void AtLeastOne(int? value, string path, FieldErrors errors)
    {
        if (value is { } v && v < 1) errors.Invalid(path, $"Invalid value: {v}: {path} in body should be greater than or equal to 1");
    }

    private static void CheckStrings(Dictionary<string, JsonElement>? config, string path, FieldErrors errors)
    {
        foreach (var (key, value) in config ?? [])
        {
            var field = $"{path}.{key}";
            if (key.Length == 0) errors.Invalid(path, "Invalid value: \"\": a config key may not be empty");
            else if (value.ValueKind != JsonValueKind.String)
            {
                var type = value.ValueKind switch
                {
                    JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
                    JsonValueKind.True or JsonValueKind.False => "boolean",
                    JsonValueKind.Object => "object",
                    JsonValueKind.Array => "array",
                    _ => "null",
                };
                errors.Invalid(field, $"Invalid value: \"{type}\": {field} in body must be of type string: \"{type}\"");
            }
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9._-]+$")]
    private static partial Regex TopicName();
}
