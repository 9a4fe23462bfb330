namespace Platform.ApiServer.Protobuf;

/// <summary>A message type: its fields by number, and how its JSON form is made.</summary>
internal sealed class ProtoMessage(string fullName, IReadOnlyDictionary<int, ProtoField> fields)
{
    public string FullName { get; } = fullName;
    public IReadOnlyDictionary<int, ProtoField> Fields { get; } = fields;
    /// <summary>A Go slice type wrapped in a message (<c>{items}</c>, e.g. ExtraValue): its JSON is the array of items.</summary>
    public bool IsArray { get; internal set; }
    /// <summary>A type whose Go code writes its own JSON (Time, Quantity, IntOrString ...); <see cref="WellKnown.None"/> otherwise.</summary>
    public WellKnown WellKnown { get; internal set; }

    public override string ToString() => FullName;
}
