namespace Platform.RemoteCommand;

/// <summary>
/// The WebSocket subprotocols of Kubernetes' remote command (<c>pods/exec</c>, <c>pods/attach</c>) that this platform
/// speaks. Both carry a <c>metav1.Status</c> on <see cref="StreamChannel.Error"/>; v5 adds the close signal
/// (<see cref="StreamChannel.Close"/>) by which a client half-closes stdin. kubectl 1.30+ asks for v5 only.
/// </summary>
public static class StreamProtocol
{
    public const string V5 = "v5.channel.k8s.io";
    public const string V4 = "v4.channel.k8s.io";

    /// <summary>The protocols served, best first.</summary>
    public static IReadOnlyList<string> Supported { get; } = [V5, V4];

    /// <summary>The first protocol the client offered (in its order of preference) that is served, or null.</summary>
    public static string? Negotiate(IEnumerable<string> offered) => offered.FirstOrDefault(p => Supported.Contains(p));

    /// <summary>Whether the protocol has the close signal (<c>[255, channel]</c>); in v4 stdin ends only with the connection.</summary>
    public static bool SupportsClose(string protocol) => protocol == V5;

    /// <summary>
    /// The protocol to accept an upgrade request with, or why it cannot be served (the message of a 400): not a
    /// WebSocket upgrade (SPDY, which kubectl tries only when the WebSocket upgrade failed, is not served), or none of
    /// the offered subprotocols is served.
    /// </summary>
    public static (string? Protocol, string? Refusal) ForUpgrade(bool isWebSocket, string? upgradeHeader, IEnumerable<string> offered)
    {
        var supported = string.Join(", ", Supported);
        if (!isWebSocket)
        {
            return upgradeHeader is { Length: > 0 } && upgradeHeader.Contains("SPDY", StringComparison.OrdinalIgnoreCase)
                ? (null, $"SPDY streams are not served: upgrade to a WebSocket with one of the subprotocols {supported}")
                : (null, $"Upgrade request required: a WebSocket with one of the subprotocols {supported}");
        }
        var offeredList = offered.ToList();
        return Negotiate(offeredList) is { } protocol
            ? (protocol, null)
            : (null, $"none of the requested WebSocket subprotocols [{string.Join(", ", offeredList)}] is served; use one of {supported}");
    }
}
