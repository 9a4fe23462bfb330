namespace Platform.Connect.Api.Config;

/// <summary>Kafka Connect's ConfigDef types, spelled as the validate endpoint reports them (<c>STRING</c>, <c>INT</c> ...).</summary>
public enum ConfigType
{
    Boolean,
    String,
    Int,
    Short,
    Long,
    Double,
    List,
    Class,
    Password,
}

/// <summary>How much a setting matters (<c>HIGH</c>, <c>MEDIUM</c>, <c>LOW</c> on the wire).</summary>
public enum Importance
{
    High,
    Medium,
    Low,
}
