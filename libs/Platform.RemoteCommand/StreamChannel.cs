namespace Platform.RemoteCommand;

/// <summary>
/// The channel numbers of the remote command protocols: every binary WebSocket message starts with one of them and
/// the rest is that channel's data (Kubernetes' <c>wsstream</c> channel framing).
/// </summary>
public static class StreamChannel
{
    public const byte Stdin = 0;
    public const byte Stdout = 1;
    public const byte Stderr = 2;

    /// <summary>The server's last word: a JSON <c>metav1.Status</c> (success, exit code, or failure message).</summary>
    public const byte Error = 3;

    /// <summary>Terminal size from the client, JSON <c>{"Width":80,"Height":24}</c>, one per message.</summary>
    public const byte Resize = 4;

    /// <summary>v5: <c>[255, channel]</c> says the sender will write no more on that channel (stdin's end of file).</summary>
    public const byte Close = 255;
}
