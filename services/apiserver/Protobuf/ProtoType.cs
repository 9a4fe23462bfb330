namespace Platform.ApiServer.Protobuf;

/// <summary>The scalar types of proto2; <see cref="Message"/> and <see cref="Enum"/> name a declared type instead.</summary>
internal enum ProtoType
{
    Double, Float, Int32, Int64, UInt32, UInt64, SInt32, SInt64, Fixed32, Fixed64, SFixed32, SFixed64, Bool, String, Bytes,
    Message, Enum,
}
