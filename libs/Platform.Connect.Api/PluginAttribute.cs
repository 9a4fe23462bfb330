namespace Platform.Connect.Api;

/// <summary>
/// Extra names a plugin answers to besides its full type name and simple name, e.g. Apache Kafka's class name
/// (<c>org.apache.kafka.connect.file.FileStreamSourceConnector</c>) so configurations written for Kafka Connect work.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PluginAttribute(params string[] aliases) : Attribute
{
    public IReadOnlyList<string> Aliases { get; } = aliases;
}
