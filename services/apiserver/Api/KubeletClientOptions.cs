namespace Platform.ApiServer.Api;

/// <summary>Settings bound from <c>ApiServer:Kubelet</c>: how long the apiserver waits for a node agent (pod logs, port forwarding).</summary>
public sealed class KubeletClientOptions
{
    public const string Section = "ApiServer:Kubelet";

    /// <summary><c>ApiServer:Kubelet:ConnectTimeout</c>: a TCP connection to the agent not made by then is a 502.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>ApiServer:Kubelet:ResponseTimeout</c>: an agent that has not sent its response headers by then is a 502 (a follow's body may then run for as long as the client reads).</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
