using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using Platform.EventBus.Kafka;

/// <summary>
/// Makes the mock cluster reachable from other containers (<c>--advertise HOST:PORT</c>): librdkafka's mock brokers
/// listen on 127.0.0.1 only, so broker N is relayed from every address of this host on PORT+N-1 to its loopback
/// listener and announces HOST:PORT+N-1 in metadata, as a real broker's advertised.listeners would.
/// </summary>
internal static class BrokerRelay
{
    public static async Task<string> StartAsync(MockKafkaCluster cluster, string advertise, List<Task> relays, CancellationToken stop)
    {
        var colon = advertise.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(advertise[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var basePort))
            throw new ArgumentException($"--advertise: expected HOST:PORT, got '{advertise}'");
        var host = advertise[..colon];
        var brokers = await ListenersAsync(cluster.BootstrapServers, stop);
        var announced = new List<string>();
        foreach (var (id, listenerPort) in brokers.OrderBy(b => b.Key))
        {
            var port = basePort + id - 1;
            var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            relays.Add(AcceptAsync(listener, listenerPort, stop));
            cluster.Advertise(id, host, port);
            announced.Add($"{host}:{port}");
        }
        return string.Join(',', announced);
    }

    // Which loopback port is which broker id, from the cluster's own metadata.
    private static async Task<Dictionary<int, int>> ListenersAsync(string bootstrap, CancellationToken stop)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var metadata = await Task.Run(() => admin.GetMetadata(TimeSpan.FromSeconds(10)), stop);
        return metadata.Brokers.ToDictionary(b => b.BrokerId, b => b.Port);
    }

    private static async Task AcceptAsync(TcpListener listener, int targetPort, CancellationToken stop)
    {
        using var _ = listener.Server;
        var connections = new List<Task>();
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop); }
            catch (OperationCanceledException) { break; }
            connections.RemoveAll(t => t.IsCompleted);
            connections.Add(PipeAsync(client, targetPort, stop));
        }
        listener.Stop();
        await Task.WhenAll(connections);
    }

    private static async Task PipeAsync(TcpClient client, int targetPort, CancellationToken stop)
    {
        using (client)
        using (var broker = new TcpClient())
        {
            try
            {
                client.NoDelay = true;
                broker.NoDelay = true;
                await broker.ConnectAsync(IPAddress.Loopback, targetPort, stop);
                var inbound = client.GetStream();
                var outbound = broker.GetStream();
                // Either side closing ends the connection, as a broker's socket would for the client.
                await Task.WhenAny(inbound.CopyToAsync(outbound, stop), outbound.CopyToAsync(inbound, stop));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // The client or the mock broker went away (or a broker is taken down): the connection ends, as it would with a real broker.
            }
        }
    }
}
