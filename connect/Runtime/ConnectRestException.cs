namespace Platform.Connect.Runtime;

/// <summary>An answer the REST API gives as <c>{"error_code":N,"message":"..."}</c> with status N (Kafka's ConnectRestException).</summary>
internal sealed class ConnectRestException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static ConnectRestException NotFound(string connector) => new(404, $"Connector {connector} not found");

    public static ConnectRestException Rebalancing() => new(409, "Request cannot be completed because a rebalance is expected");
}
