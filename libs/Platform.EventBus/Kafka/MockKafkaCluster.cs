using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Platform.EventBus.Kafka;

/// <summary>
/// librdkafka's built-in mock Kafka cluster, reached through Confluent.Kafka: real brokers speaking the
/// Kafka protocol over TCP on 127.0.0.1, with consumer groups and idempotent producers. Used as the
/// development and test broker (no Kafka broker can be installed on the build machines); other
/// processes connect to <see cref="BootstrapServers"/> like to any broker. Lives as long as this object.
/// </summary>
/// <remarks>
/// The cluster's thread serves calls such as <see cref="CreateTopic"/> after its poll returns, and it can miss the
/// wake-up of a call made right after the previous one was answered; the call then waited for the poll's one-second
/// timeout (measured: 40 topics for one apiserver took 0 to 16 s). While a call is waiting, a connection to a broker's
/// listener wakes the poll; <see cref="Call"/> opens one every few milliseconds until the answer comes.
/// </remarks>
public sealed partial class MockKafkaCluster : IDisposable
{
    private readonly IProducer<Null, Null> _owner;
    private readonly IntPtr _cluster;
    private readonly (string Host, int Port)[] _listeners;
    private readonly Timer _waker;
    private int _waiting;

    private MockKafkaCluster(IProducer<Null, Null> owner, IntPtr cluster, string bootstrap)
    {
        _owner = owner;
        _cluster = cluster;
        BootstrapServers = bootstrap;
        _listeners = [.. bootstrap.Split(',').Select(b => KafkaOptions.TryParseHostPort(b, out var host, out var port) ? (host, port)
            : throw new InvalidOperationException($"mock cluster bootstrap '{b}' is not host:port"))];
        _waker = new Timer(_ => Wake(), null, Timeout.Infinite, Timeout.Infinite);
    }

    public string BootstrapServers { get; }

    public static MockKafkaCluster Start(int brokers = 3)
    {
        var config = new ProducerConfig { BootstrapServers = "mock", ClientId = "platform-mock-cluster" };
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var owner = new ProducerBuilder<Null, Null>(config).SetLogHandler((_, _) => { }).Build();
        var cluster = Native.rd_kafka_handle_mock_cluster(RawHandle(owner));
        if (cluster == IntPtr.Zero)
        {
            owner.Dispose();
            throw new InvalidOperationException("librdkafka did not create a mock cluster (test.mock.num.brokers ignored)");
        }
        var bootstrap = Marshal.PtrToStringUTF8(Native.rd_kafka_mock_cluster_bootstraps(cluster))
            ?? throw new InvalidOperationException("mock cluster has no bootstrap address");
        return new MockKafkaCluster(owner, cluster, bootstrap);
    }

    /// <summary>Creates a topic with an exact partition count (the mock otherwise auto-creates topics with its default).</summary>
    public void CreateTopic(string name, int partitions, int replicationFactor = 1)
    {
        var err = Call(() => Native.rd_kafka_mock_topic_create(_cluster, name, partitions, replicationFactor));
        if (err != 0 && err != 36 /* TOPIC_ALREADY_EXISTS */)
            throw new InvalidOperationException($"creating mock topic '{name}' failed: librdkafka error {err}");
    }

    /// <summary>Takes a broker down (connections refused) or brings it back, to test outages.</summary>
    public void SetBrokerUp(int brokerId, bool up)
    {
        var err = Call(() => up ? Native.rd_kafka_mock_broker_set_up(_cluster, brokerId) : Native.rd_kafka_mock_broker_set_down(_cluster, brokerId));
        if (err != 0) throw new InvalidOperationException($"mock broker {brokerId} {(up ? "up" : "down")} failed: librdkafka error {err}");
    }

    /// <summary>
    /// The coordinator's <c>group.initial.rebalance.delay.ms</c> (3 s, as Kafka's default): how long the first join of
    /// an empty group waits for more members. Development brokers commonly set 0, so a consumer restarted with a
    /// fresh group is assigned its partitions at once.
    /// </summary>
    public void SetGroupInitialRebalanceDelay(TimeSpan delay)
    {
        var err = Call(() => Native.rd_kafka_mock_group_initial_rebalance_delay_ms(_cluster, (int)delay.TotalMilliseconds));
        if (err != 0) throw new InvalidOperationException($"mock group.initial.rebalance.delay.ms failed: librdkafka error {err}");
    }

    /// <summary>
    /// The address broker <paramref name="brokerId"/> announces in metadata responses instead of its loopback listener,
    /// for clients in other network namespaces that reach the listener through a relay (the dev broker's image).
    /// </summary>
    public void Advertise(int brokerId, string host, int port)
    {
        var err = Call(() => Native.rd_kafka_mock_broker_set_host_port(_cluster, brokerId, host, port));
        if (err != 0) throw new InvalidOperationException($"mock broker {brokerId} advertising {host}:{port} failed: librdkafka error {err}");
    }

    /// <summary>Makes a call into the cluster's thread, waking it while the call waits (see the remarks above).</summary>
    private int Call(Func<int> call)
    {
        if (Interlocked.Increment(ref _waiting) == 1) _waker.Change(WakeInterval, WakeInterval);
        try
        {
            return call();
        }
        finally
        {
            if (Interlocked.Decrement(ref _waiting) == 0) _waker.Change(Timeout.Infinite, Timeout.Infinite);
        }
    }

    private static readonly TimeSpan WakeInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>A connection the cluster's thread accepts (its poll returns, the waiting calls are served) and sees closed.</summary>
    private void Wake()
    {
        foreach (var listener in _listeners)
        {
            if (Volatile.Read(ref _waiting) == 0) return;
            try
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                socket.Connect(listener.Host, listener.Port);
                return;
            }
            catch (SocketException)
            {
                // That broker is down (SetBrokerUp): another one's listener, else the poll's timeout, serves the call.
            }
        }
    }

    public void Dispose()
    {
        _waker.Dispose();
        _owner.Dispose();
    }

    // Confluent.Kafka keeps the rd_kafka_t* in an internal SafeHandle; the mock API needs it.
    private static IntPtr RawHandle(IClient client)
    {
        var handle = client.Handle;
        var prop = handle.GetType().GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            ?? throw new InvalidOperationException("Confluent.Kafka.Handle.LibrdkafkaHandle not found");
        var safe = (SafeHandle)prop.GetValue(handle)!;
        return safe.DangerousGetHandle();
    }

    private static partial class Native
    {
        static Native() => NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, Resolve);

        // Confluent.Kafka picks one of several bundled librdkafka builds at run time; the mock API must be
        // called in that same copy, so resolve to whichever file is already mapped into this process.
        private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
        {
            if (name != "librdkafka") return IntPtr.Zero;
            if (OperatingSystem.IsLinux())
            {
                foreach (var line in File.ReadLines("/proc/self/maps"))
                {
                    var at = line.IndexOf('/', StringComparison.Ordinal);
                    if (at >= 0 && line.Contains("librdkafka", StringComparison.Ordinal) && NativeLibrary.TryLoad(line[at..], out var loaded))
                        return loaded;
                }
            }
            return IntPtr.Zero;
        }

        [LibraryImport("librdkafka")]
        internal static partial IntPtr rd_kafka_handle_mock_cluster(IntPtr rk);

        [LibraryImport("librdkafka")]
        internal static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr mcluster);

        [LibraryImport("librdkafka")]
        internal static partial int rd_kafka_mock_broker_set_down(IntPtr mcluster, int brokerId);

        [LibraryImport("librdkafka")]
        internal static partial int rd_kafka_mock_broker_set_up(IntPtr mcluster, int brokerId);

        [LibraryImport("librdkafka")]
        internal static partial int rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr mcluster, int delayMs);

        [LibraryImport("librdkafka", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int rd_kafka_mock_broker_set_host_port(IntPtr mcluster, int brokerId, string host, int port);

        [LibraryImport("librdkafka", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int rd_kafka_mock_topic_create(IntPtr mcluster, string topic, int partitionCount, int replicationFactor);
    }
}
