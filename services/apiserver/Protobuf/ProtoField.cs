namespace Platform.ApiServer.Protobuf;

/// <summary>
/// One field of a message as the .proto declares it, with what json-hints.txt adds about its JSON form. For a map,
/// <see cref="Type"/> and <see cref="TypeName"/> describe the value and <see cref="KeyType"/> the key.
/// </summary>
internal sealed class ProtoField(int number, string name, FieldLabel label, ProtoType type, string? typeName, ProtoType keyType)
{
    public int Number { get; } = number;
    public string Name { get; } = name;
    public FieldLabel Label { get; } = label;
    public ProtoType Type { get; internal set; } = type;
    /// <summary>The referenced message or enum, as written in the .proto until the schema resolves it to a full name.</summary>
    public string? TypeName { get; internal set; } = typeName;
    public ProtoType KeyType { get; } = keyType;
    /// <summary>The resolved message type (null for scalars and enums).</summary>
    public ProtoMessage? Message { get; internal set; }
    /// <summary>The name in JSON: the proto name except where the Go struct's json tag says otherwise.</summary>
    public string JsonName { get; internal set; } = name;
    /// <summary>The message's fields belong to the parent object in JSON (Go's <c>json:",inline"</c>).</summary>
    public bool Inline { get; internal set; }
    /// <summary>A zero value is written to JSON: the Go field is a pointer (zero is a choice) or has no omitempty.</summary>
    public bool KeepZero { get; internal set; }
}
