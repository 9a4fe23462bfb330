// Development and test Kafka broker: librdkafka's mock cluster (3 brokers on 127.0.0.1) with the
// platform topics created. Prints its bootstrap address and writes it to --bootstrap-file.
// Production uses a real Apache Kafka cluster (docker-compose.yml); clients do not know the difference.
using System.Runtime.InteropServices;
using Platform.Contracts.Events;
using Platform.EventBus.Kafka;

var brokers = 3;
string? bootstrapFile = null;
string? controlFile = null;
string? advertise = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--brokers" when i + 1 < args.Length: brokers = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--bootstrap-file" when i + 1 < args.Length: bootstrapFile = args[++i]; break;
        case "--control-file" when i + 1 < args.Length: controlFile = args[++i]; break;
        case "--advertise" when i + 1 < args.Length: advertise = args[++i]; break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: dev-broker [--brokers N] [--bootstrap-file PATH] [--control-file PATH] [--advertise HOST:PORT]");
            return 2;
    }
}

using var cluster = MockKafkaCluster.Start(brokers);
// As development Kafka setups do (KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS=0): a component restarted after a crash
// joins its fresh consumer group without waiting 3 s for members that will not come.
cluster.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
foreach (var topic in Topics.All)
{
    cluster.CreateTopic(topic.Name, topic.Partitions, Math.Min(3, brokers));
    cluster.CreateTopic(Topics.DeadLetterOf(topic.Name), 1, Math.Min(3, brokers));
}
using var stop = new CancellationTokenSource();
// In a container (the compose file's local profile): brokers reachable as HOST:PORT, HOST:PORT+1, ... through relays.
var relays = new List<Task>();
var bootstrap = advertise is null ? cluster.BootstrapServers : await BrokerRelay.StartAsync(cluster, advertise, relays, stop.Token);
if (bootstrapFile is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(bootstrapFile))!);
    File.WriteAllText(bootstrapFile, bootstrap);
}
Console.WriteLine($"Mock cluster ready: bootstrap.servers={bootstrap} brokers={brokers} topics={Topics.All.Count}");

// Fault injection for ./platform chaos: "down <id>" / "up <id>" lines on a loopback port written to --control-file.
var control = controlFile is null ? Task.CompletedTask : BrokerControl.RunAsync(cluster, brokers, controlFile, stop.Token);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
try { await Task.Delay(Timeout.Infinite, stop.Token); }
catch (OperationCanceledException) { Console.WriteLine("dev-broker stopping"); }
await control;
await Task.WhenAll(relays);
if (bootstrapFile is not null) File.Delete(bootstrapFile);
if (controlFile is not null) File.Delete(controlFile);
return 0;
