namespace Platform.ApiServer.Protobuf;

/// <summary>A protobuf body that cannot be decoded; the message names where (<c>spec.template.spec: ...</c>) and why.</summary>
internal sealed class ProtobufException(string message) : Exception(message);
