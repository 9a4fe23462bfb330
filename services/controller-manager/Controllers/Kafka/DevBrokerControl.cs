using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Platform.ControllerManager.Controllers.Kafka;

/// <summary>
/// The development broker's control port (services/dev-broker, BrokerControl): one line, one answer. Its port is in
/// the control file the broker writes into the platform's state folder.
/// </summary>
internal static class DevBrokerControl
{
    /// <summary>Creates <paramref name="topic"/> with exactly these counts, which the mock's Kafka protocol cannot.</summary>
    public static async Task CreateTopicAsync(string controlFile, string topic, int partitions, int replicas, CancellationToken ct)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"create {topic} {partitions} {replicas}");
        string? reply;
        try
        {
            var port = int.Parse((await File.ReadAllTextAsync(controlFile, ct)).Trim(), CultureInfo.InvariantCulture);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { AutoFlush = true, NewLine = "\n" };
            await writer.WriteLineAsync(line.AsMemory(), timeout.Token);
            reply = await reader.ReadLineAsync(timeout.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or FormatException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            throw new TopicBrokerException($"CreateTopics through the development broker's control port ({controlFile}): {e.Message}", unsupported: false, e);
        }
        if (reply != "ok") throw new TopicBrokerException($"CreateTopics through the development broker's control port: {reply ?? "no answer"}");
    }
}
