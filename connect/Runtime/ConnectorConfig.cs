using Platform.Connect.Api.Config;

namespace Platform.Connect.Runtime;

/// <summary>The settings every connector takes, whatever its class (Kafka Connect's ConnectorConfig and SinkConnectorConfig).</summary>
internal static class ConnectorConfig
{
    public const string Name = "name";
    public const string ConnectorClass = "connector.class";
    public const string TasksMax = "tasks.max";
    public const string KeyConverter = "key.converter";
    public const string ValueConverter = "value.converter";
    public const string Transforms = "transforms";
    public const string Predicates = "predicates";
    public const string ErrorsTolerance = "errors.tolerance";
    public const string ErrorsRetryTimeout = "errors.retry.timeout";
    public const string ErrorsRetryDelayMax = "errors.retry.delay.max.ms";
    public const string ErrorsLogEnable = "errors.log.enable";
    public const string Topics = "topics";
    public const string TopicsRegex = "topics.regex";
    public const string DlqTopic = "errors.deadletterqueue.topic.name";
    public const string DlqContextHeaders = "errors.deadletterqueue.context.headers.enable";
    public const string DefaultConverter = "org.apache.kafka.connect.json.JsonConverter";

    public const string CommonGroup = "Common";
    public const string TransformsGroup = "Transforms";
    public const string PredicatesGroup = "Predicates";
    public const string ErrorGroup = "Error Handling";

    public static ConfigDef Common(Func<string, string?> classCheck) => new ConfigDef()
        .Define(new ConfigKey(Name, ConfigType.String, null, false, Importance.High, "Globally unique name to use for this connector.", CommonGroup,
            v => string.IsNullOrWhiteSpace(v) ? "String may not be empty" : null))
        .Define(new ConfigKey(ConnectorClass, ConfigType.String, null, true, Importance.High,
            "Name or alias of the class for this connector.", CommonGroup, classCheck))
        .Define(TasksMax, ConfigType.Int, "1", Importance.High, "Maximum number of tasks to use for this connector.",
            v => int.Parse(v.Trim(), System.Globalization.CultureInfo.InvariantCulture) < 1 ? "Value must be at least 1" : null, CommonGroup)
        .Define(KeyConverter, ConfigType.Class, null, Importance.Low, "Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka.", group: CommonGroup)
        .Define(ValueConverter, ConfigType.Class, null, Importance.Low, "Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka.", group: CommonGroup)
        .Define(Transforms, ConfigType.List, "", Importance.Low, "Aliases for the transformations to be applied to records.", group: TransformsGroup)
        .Define(Predicates, ConfigType.List, "", Importance.Low, "Aliases for the predicates used by transformations.", group: PredicatesGroup)
        .Define(ErrorsRetryTimeout, ConfigType.Long, "0", Importance.Medium, "The maximum duration in milliseconds that a failed operation will be reattempted. -1 means infinite.", group: ErrorGroup)
        .Define(ErrorsRetryDelayMax, ConfigType.Long, "60000", Importance.Medium, "The maximum duration in milliseconds between consecutive retry attempts.", group: ErrorGroup)
        .Define(ErrorsTolerance, ConfigType.String, "none", Importance.Medium,
            "Behavior for tolerating errors during connector operation. 'none' is the default value and signals that any error will result in an immediate connector task failure; 'all' changes the behavior to skip over problematic records.",
            v => v is "none" or "all" ? null : "String must be one of: none, all", ErrorGroup, ["none", "all"])
        .Define(ErrorsLogEnable, ConfigType.Boolean, "false", Importance.Medium, "If true, write each error and the details of the failed operation and problematic record to the Connect application log.", group: ErrorGroup);

    public static ConfigDef Sink() => new ConfigDef()
        .Define(Topics, ConfigType.List, "", Importance.High, "List of topics to consume, separated by commas", group: CommonGroup)
        .Define(TopicsRegex, ConfigType.String, "", Importance.High, "Regular expression giving topics to consume.",
            v => IsRegex(v) ? null : "Must be a valid regular expression", CommonGroup)
        .Define(DlqTopic, ConfigType.String, "", Importance.Medium, "The name of the topic to be used as the dead letter queue (DLQ) for messages that result in an error when processed by this sink connector, or its transformations or converters.", group: ErrorGroup)
        .Define(DlqContextHeaders, ConfigType.Boolean, "false", Importance.Medium, "If true, add headers containing error context to the messages written to the dead letter queue.", group: ErrorGroup);

    private static bool IsRegex(string value)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(value, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
