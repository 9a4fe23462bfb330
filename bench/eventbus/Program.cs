// ./platform bench eventbus: outbox relay throughput and commit-to-consumer latency at a fixed rate, once per
// producer compression codec (Kafka:Compression; BENCH_COMPRESSION=none,gzip,... picks), side by side in one run,
// on a real Postgres (connection string in argv[0]) and the librdkafka mock cluster (3 brokers).
using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Platform.EventBus;
using Platform.EventBus.CloudEvents;
using Platform.EventBus.Kafka;
using Platform.Outbox;

var cs = args.Length > 0 ? args[0] : throw new ArgumentException("usage: bench <postgres connection string> [events] [rate] [seconds]");
var total = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var rate = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000;
var seconds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10;

var codecs = (Environment.GetEnvironmentVariable("BENCH_COMPRESSION") ?? "none,gzip,snappy,lz4,zstd")
    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

using var kafka = MockKafkaCluster.Start(3);
await using var db = NpgsqlDataSource.Create(cs);
await OutboxSchema.EnsureCreatedAsync(db);
// A warm-up pass (JIT, Postgres caches, the first consumer group) so the first codec measured is not the slowest.
Console.WriteLine("--- warm-up");
await Throughput("warmup", total / 10);
await Latency("warmup", 2);
var rows = new List<string>();
foreach (var codec in codecs)
{
    Console.WriteLine($"--- Kafka:Compression={codec}");
    rows.Add($"| {codec} | {await Throughput(codec, total)} | {await Latency(codec, seconds)} |");
}
Console.WriteLine();
Console.WriteLine($"| Kafka:Compression | relay throughput ({total:N0} events) | commit-to-consumer at {rate:N0}/s for {seconds} s |");
Console.WriteLine("| --- | --- | --- |");
rows.ForEach(Console.WriteLine);

// 1. Throughput: a backlog of committed events, then the relay drains it.
async Task<string> Throughput(string codec, int total)
{
    var topic = $"bench.throughput.{codec}";
    kafka.CreateTopic(topic, 12, 3);
    Console.WriteLine($"writing {total:N0} events into the outbox ...");
    for (var i = 0; i < total; i += 1000)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await OutboxWriter.AppendManyAsync(conn, tx, Enumerable.Range(i, Math.Min(1000, total - i))
            .Select(n => (topic, PlatformEvent.Create("/bench", "io.platform.bench.updated", $"ns/obj-{n % 500}", new { n }))).ToList());
        await tx.CommitAsync();
    }
    using var host = BuildHost(cs, kafka.BootstrapServers, codec == "warmup" ? "none" : codec);
    var sw = Stopwatch.StartNew();
    await host.StartAsync();
    var state = host.Services.GetRequiredService<OutboxRelayState>();
    while (state.Published < total) await Task.Delay(5);
    sw.Stop();
    Console.WriteLine($"relay throughput: {total:N0} events in {sw.Elapsed.TotalSeconds:F2} s = {total / sw.Elapsed.TotalSeconds:N0} events/s");
    await host.StopAsync();
    return $"{total / sw.Elapsed.TotalSeconds:N0} events/s";
}

// 2. Latency: one event per transaction at a fixed rate; commit -> consumer receipt.
async Task<string> Latency(string codec, int seconds)
{
    var topic = $"bench.latency.{codec}";
    kafka.CreateTopic(topic, 12, 3);
    using var host = BuildHost(cs, kafka.BootstrapServers, codec == "warmup" ? "none" : codec);
    await host.StartAsync();
    var latencies = new List<double>();
    var expected = rate * seconds;
    var committedAt = new long[expected];
    using var consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
    {
        BootstrapServers = kafka.BootstrapServers, GroupId = "bench-" + Guid.NewGuid().ToString("N"),
        AutoOffsetReset = AutoOffsetReset.Earliest, FetchWaitMaxMs = 5,
    }).Build();
    consumer.Subscribe(topic);
    while (consumer.Assignment.Count == 0) consumer.Consume(TimeSpan.FromMilliseconds(100));
    var consumeTask = Task.Run(() =>
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds + 30);
        while (latencies.Count < expected && DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (r is null) continue;
            var received = Stopwatch.GetTimestamp();
            var seq = int.Parse(r.Message.Key!.Split('|')[1], CultureInfo.InvariantCulture);
            // The writer records when CommitAsync returned; spin briefly in the rare case the event beat that record.
            long committed;
            while ((committed = Interlocked.Read(ref committedAt[seq])) == 0) Thread.SpinWait(10);
            latencies.Add(Stopwatch.GetElapsedTime(committed, received).TotalMilliseconds);
        }
    });
    var interval = TimeSpan.FromSeconds(1.0 / rate);
    var start = Stopwatch.GetTimestamp();
    for (var i = 0; i < expected; i++)
    {
        var due = start + (long)(i * interval.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < due) await Task.Yield();
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        // Latency runs from the moment the commit returned (recorded per sequence number) to the consumer's receipt.
        var e = PlatformEvent.Create("/bench", "io.platform.bench.updated", null, new { i });
        await OutboxWriter.AppendAsync(conn, tx, topic, e with { Key = $"k{i % 100}|{i}" });
        await tx.CommitAsync();
        Interlocked.Exchange(ref committedAt[i], Stopwatch.GetTimestamp());
    }
    await consumeTask;
    latencies.Sort();
    double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
    Console.WriteLine($"commit-to-consumer latency at {rate:N0} events/s for {seconds} s ({latencies.Count:N0} events): p50 {P(0.50):F1} ms, p99 {P(0.99):F1} ms, max {latencies[^1]:F1} ms");
    await host.StopAsync();
    return $"p50 {P(0.50):F1} ms, p99 {P(0.99):F1} ms ({latencies.Count:N0} of {expected:N0} received)";
}

static IHost BuildHost(string cs, string bootstrap, string codec)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Platform"] = cs,
        ["Kafka:BootstrapServers"] = bootstrap,
        ["Outbox:BatchSize"] = "5000",
        ["Kafka:Compression"] = codec,
    });
    builder.Services.AddEventBus();
    builder.Services.AddPlatformDatabase(builder.Configuration);
    builder.Services.AddOutboxRelay();
    return builder.Build();
}
