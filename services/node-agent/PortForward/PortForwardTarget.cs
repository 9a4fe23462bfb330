using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Platform.NodeAgent.PortForward;

/// <summary>
/// One pod on this node, as port forwarding sees it: its declared container ports and the host ports the agent
/// allocated for them. Pods share the host network, so a container port is reached at the pod's address on its
/// allocated host port, and a port the pod does not declare is refused (it would be some other process on the host).
/// </summary>
internal sealed class PortForwardTarget(string podName, string podUid, string address, IReadOnlyDictionary<int, int> hostPorts, TimeSpan connectTimeout)
{
    public string PodName => podName;
    public string PodUid => podUid;

    /// <summary>The declared container ports, ascending.</summary>
    public IEnumerable<int> ContainerPorts => hostPorts.Keys.Order();

    /// <summary>A connected socket to <paramref name="containerPort"/>; <see cref="PortForwardException"/> says why not.</summary>
    public async Task<Socket> ConnectAsync(int containerPort, CancellationToken ct)
    {
        if (!hostPorts.TryGetValue(containerPort, out var hostPort))
        {
            var declared = hostPorts.Count == 0 ? "none" : string.Join(", ", ContainerPorts.Select(p => p.ToString(CultureInfo.InvariantCulture)));
            throw new PortForwardException($"port {containerPort} is not a containerPort of pod {podName} (declared: {declared})");
        }
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(connectTimeout);
        try
        {
            await socket.ConnectAsync(IPAddress.Parse(address), hostPort, timeout.Token);
            return socket;
        }
        catch (Exception ex) when (ex is SocketException || ex is OperationCanceledException && !ct.IsCancellationRequested)
        {
            socket.Dispose();
            var why = ex is SocketException s ? s.Message : $"no answer within {connectTimeout.TotalSeconds:0.#} s";
            throw new PortForwardException($"dial tcp {address}:{hostPort} (containerPort {containerPort}): {why}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
