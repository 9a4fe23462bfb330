namespace Platform.Connect.Api.Data;

/// <summary>Kafka Connect's schema types; the JSON converter writes them lower-case (<c>int32</c>, <c>struct</c> ...).</summary>
public enum SchemaType
{
    Int8,
    Int16,
    Int32,
    Int64,
    Float32,
    Float64,
    Boolean,
    String,
    Bytes,
    Array,
    Map,
    Struct,
}
