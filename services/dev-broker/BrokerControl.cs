using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Platform.EventBus.Kafka;

/// <summary>
/// A loopback line protocol to take one broker of the mock cluster down and bring it back, as a broker crash and
/// restart would (connections refused meanwhile): <c>down 2</c> / <c>up 2</c>; and to create a topic with an exact
/// partition count and replication factor, which the mock's Kafka protocol cannot (it has no CreateTopics):
/// <c>create NAME PARTITIONS REPLICAS</c>. Answered <c>ok</c> or <c>error: reason</c>. Its port is written to the
/// control file, so only someone who can read the platform's state folder finds it.
/// </summary>
internal static class BrokerControl
{
    public static async Task RunAsync(MockKafkaCluster cluster, int brokers, string controlFile, CancellationToken stop)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(controlFile))!);
        await File.WriteAllTextAsync(controlFile, ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture), stop);
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop); }
            catch (OperationCanceledException) { return; }
            using (client)
            {
                try
                {
                    using var stream = client.GetStream();
                    using var reader = new StreamReader(stream, Encoding.ASCII);
                    await using var writer = new StreamWriter(stream, Encoding.ASCII) { AutoFlush = true, NewLine = "\n" };
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    timeout.CancelAfter(TimeSpan.FromSeconds(5));
                    var line = await reader.ReadLineAsync(timeout.Token);
                    await writer.WriteLineAsync(Apply(cluster, brokers, line));
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
                {
                    // A client that went away or never sent a line: nothing to answer.
                }
            }
        }
    }

    private static string Apply(MockKafkaCluster cluster, int brokers, string? line)
    {
        var parts = (line ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 4 && parts[0] == "create") return Create(cluster, brokers, parts[1], parts[2], parts[3]);
        if (parts.Length != 2 || parts[0] is not ("down" or "up"))
            return "error: expected 'down <broker id>', 'up <broker id>' or 'create <topic> <partitions> <replicas>'";
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1 || id > brokers)
            return $"error: broker id must be 1..{brokers}";
        try
        {
            cluster.SetBrokerUp(id, parts[0] == "up");
            Console.WriteLine($"broker {id} {parts[0]}");
            return "ok";
        }
        catch (InvalidOperationException e)
        {
            return "error: " + e.Message;
        }
    }

    private static string Create(MockKafkaCluster cluster, int brokers, string topic, string partitionsText, string replicasText)
    {
        if (topic.Length > 249 || !topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') || topic is "." or "..")
            return "error: a topic name has 1-249 ASCII letters, digits, '.', '_' and '-'";
        if (!int.TryParse(partitionsText, NumberStyles.None, CultureInfo.InvariantCulture, out var partitions) || partitions < 1 || partitions > 10_000)
            return "error: partitions must be 1..10000";
        if (!int.TryParse(replicasText, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas) || replicas < 1 || replicas > brokers)
            return $"error: replicas must be 1..{brokers} (the brokers of this cluster)";
        try
        {
            cluster.CreateTopic(topic, partitions, replicas);
            Console.WriteLine($"topic {topic} created: {partitions} partitions, {replicas} replicas");
            return "ok";
        }
        catch (InvalidOperationException e)
        {
            return "error: " + e.Message;
        }
    }
}
