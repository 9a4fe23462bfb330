namespace Platform.Gateway.Filters.Grpc;

/// <summary>A JSON body (or a backend's reply) that does not fit the message type; <see cref="Field"/> is its JSON path.</summary>
internal sealed class ProtoJsonException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
