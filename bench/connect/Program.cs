// ./platform bench connect: the Connect worker's JDBC source and sink throughput (records/s over a backlog) and the
// PostgreSQL CDC connector's commit-to-consumer latency at a bounded rate, on a real Postgres (argv[0]) and the
// librdkafka mock cluster (3 brokers). The worker runs standalone in this process and is driven over its REST API.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Npgsql;
using Platform.Bench.Connect;
using Platform.EventBus.Kafka;

var admin = args.Length > 1 ? args[0] : throw new ArgumentException("usage: bench <postgres connection string> <state dir> [rows] [cdc rate] [cdc seconds]");
var stateDir = args[1];
var rows = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50_000;
var rate = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 200;
var seconds = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 10;

using var kafka = MockKafkaCluster.Start(3);
await using var worker = await BenchWorker.StartAsync(kafka.BootstrapServers, stateDir);
var sourceDb = "";

Console.WriteLine($"--- JDBC source: {rows:N0} rows, incrementing mode, batch.max.rows=1000");
var source = await JdbcSourceAsync();
Console.WriteLine($"--- JDBC sink: source → topic → sink of the {rows:N0} rows, upsert by record_value id, batch.size=3000");
var sink = await JdbcSinkAsync();
Console.WriteLine($"--- CDC: one-row transactions at {rate:N0}/s for {seconds} s");
var cdc = await CdcLatencyAsync();
Console.WriteLine();
Console.WriteLine($"| JDBC source ({rows:N0} rows) | JDBC sink ({rows:N0} records) | CDC commit → consumer at {rate:N0}/s for {seconds} s |");
Console.WriteLine("| --- | --- | --- |");
Console.WriteLine($"| {source} | {sink} | {cdc} |");

// 1. A table of `rows` rows copied to a topic; timed from the connector's creation to the last record consumed.
async Task<string> JdbcSourceAsync()
{
    var cs = sourceDb = await Db.CreateAsync(admin, "bench_source");
    await Db.ExecuteAsync(cs, $"""
        CREATE TABLE items (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, qty INT, price NUMERIC(10,2), updated TIMESTAMP NOT NULL DEFAULT now());
        INSERT INTO items (name, qty, price) SELECT 'item-' || n, n % 100, n / 7.0 FROM generate_series(1, {rows}) n;
        """);
    kafka.CreateTopic("bench-source-items", 1, 3);
    using var consumer = Consumer("bench-source-items");
    var sw = Stopwatch.StartNew();
    await worker.CreateAsync("bench-source", new JsonObject
    {
        ["connector.class"] = "io.confluent.connect.jdbc.JdbcSourceConnector",
        ["connection.url"] = Db.JdbcUrl(cs),
        ["mode"] = "incrementing",
        ["incrementing.column.name"] = "id",
        ["table.whitelist"] = "items",
        ["topic.prefix"] = "bench-source-",
        ["batch.max.rows"] = "1000",
        ["poll.interval.ms"] = "200",
    });
    var received = 0;
    while (received < rows && sw.Elapsed < TimeSpan.FromMinutes(5))
        if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false }) received++;
    sw.Stop();
    await worker.DeleteAsync("bench-source");
    Console.WriteLine($"JDBC source: {received:N0} records in {sw.Elapsed.TotalSeconds:F2} s = {received / sw.Elapsed.TotalSeconds:N0} records/s");
    return $"{received / sw.Elapsed.TotalSeconds:N0} records/s";
}

// 2. Seed 004's pipeline: the sink joins its topic first, then a second source copies the table into it; timed from
//    the first row written by the sink to the last. (The mock broker answers a fetch with one batch; a 50,000-record
//    backlog read from the start came back at 135 records/s even to a plain consumer, while a reader that follows the
//    topic's end, as this sink does, is not held back.)
async Task<string> JdbcSinkAsync()
{
    var cs = await Db.CreateAsync(admin, "bench_sink");
    kafka.CreateTopic("bench-pipe-items", 1, 3);
    await worker.CreateAsync("bench-sink", new JsonObject
    {
        ["connector.class"] = "io.confluent.connect.jdbc.JdbcSinkConnector",
        ["connection.url"] = Db.JdbcUrl(cs),
        ["topics"] = "bench-pipe-items",
        ["insert.mode"] = "upsert",
        ["pk.mode"] = "record_value",
        ["pk.fields"] = "id",
        ["auto.create"] = "true",
        ["table.name.format"] = "items",
        ["batch.size"] = "3000",
    });
    await worker.WaitRunningAsync("bench-sink");
    await Task.Delay(TimeSpan.FromSeconds(8)); // the sink's consumer group join (the mock's initial rebalance delay is 3 s)
    await worker.CreateAsync("bench-pipe", new JsonObject
    {
        ["connector.class"] = "io.confluent.connect.jdbc.JdbcSourceConnector",
        ["connection.url"] = Db.JdbcUrl(sourceDb),
        ["mode"] = "incrementing",
        ["incrementing.column.name"] = "id",
        ["table.whitelist"] = "items",
        ["topic.prefix"] = "bench-pipe-",
        ["batch.max.rows"] = "1000",
        ["poll.interval.ms"] = "200",
    });
    var total = Stopwatch.StartNew();
    Stopwatch? sw = null;
    long count = 0;
    // Measured while the sink keeps up with the topic's end: once it falls behind, the mock broker's one-batch fetches
    // (see above) hold it to a trickle, so the clock stops at the last progress before a 10 s stall.
    var lastProgress = TimeSpan.Zero;
    while (count < rows && total.Elapsed < TimeSpan.FromMinutes(5))
    {
        var now = await Db.CountAsync(cs, "items");
        if (now > 0) sw ??= Stopwatch.StartNew();
        if (now > count + 100 || now == rows) (count, lastProgress) = (now, sw!.Elapsed);
        else if (sw is not null && sw.Elapsed - lastProgress > TimeSpan.FromSeconds(10)) break;
        await Task.Delay(50);
    }
    var elapsed = sw is null ? total.Elapsed : lastProgress;
    await worker.DeleteAsync("bench-sink");
    await worker.DeleteAsync("bench-pipe");
    Console.WriteLine($"JDBC sink: {count:N0} of {rows:N0} rows in {elapsed.TotalSeconds:F2} s after the first = {count / elapsed.TotalSeconds:N0} records/s");
    return $"{count / elapsed.TotalSeconds:N0} records/s" + (count < rows ? $" ({count:N0} of {rows:N0} rows, then it fell behind)" : "");
}

// 3. One row per transaction at `rate`/s; latency from the commit's return to the change event's receipt.
async Task<string> CdcLatencyAsync()
{
    var cs = await Db.CreateAsync(admin, "bench_cdc");
    await Db.ExecuteAsync(cs, "CREATE TABLE ticks (id INT PRIMARY KEY, note TEXT)");
    kafka.CreateTopic("bench.public.ticks", 1, 3);
    var builder = new NpgsqlConnectionStringBuilder(cs);
    await worker.CreateAsync("bench-cdc", new JsonObject
    {
        ["connector.class"] = "io.debezium.connector.postgresql.PostgresConnector",
        ["database.hostname"] = builder.Host, ["database.port"] = builder.Port.ToString(CultureInfo.InvariantCulture),
        ["database.user"] = builder.Username, ["database.dbname"] = builder.Database,
        ["topic.prefix"] = "bench", ["table.include.list"] = "public.ticks", ["slot.name"] = "bench_slot", ["publication.name"] = "bench_pub",
        ["key.converter.schemas.enable"] = "false", ["value.converter.schemas.enable"] = "false",
    });
    await worker.WaitRunningAsync("bench-cdc");
    while (await Db.ScalarAsync(cs, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'bench_slot' AND active") is not 1L) await Task.Delay(100);
    using var consumer = Consumer("bench.public.ticks");
    var expected = rate * seconds;
    var committedAt = new long[expected];
    var latencies = new List<double>();
    var consume = Task.Run(() =>
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds + 60);
        while (latencies.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { IsPartitionEOF: false, Message.Value: { } value }) continue;
            var received = Stopwatch.GetTimestamp();
            var id = JsonNode.Parse(value)!["after"]!["id"]!.GetValue<int>();
            long committed;
            while ((committed = Interlocked.Read(ref committedAt[id])) == 0) Thread.SpinWait(10);
            latencies.Add(Stopwatch.GetElapsedTime(committed, received).TotalMilliseconds);
        }
    });
    await using (var conn = new NpgsqlConnection(cs))
    {
        await conn.OpenAsync();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < expected; i++)
        {
            var due = start + (long)(i * Stopwatch.Frequency / (double)rate);
            while (Stopwatch.GetTimestamp() < due) await Task.Yield();
            await using var cmd = new NpgsqlCommand($"INSERT INTO ticks VALUES ({i}, 'tick')", conn);
            await cmd.ExecuteNonQueryAsync();
            Interlocked.Exchange(ref committedAt[i], Stopwatch.GetTimestamp());
        }
    }
    await consume;
    await worker.DeleteAsync("bench-cdc");
    latencies.Sort();
    double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
    Console.WriteLine($"CDC commit-to-consumer latency ({latencies.Count:N0} of {expected:N0} events): p50 {P(0.50):F1} ms, p99 {P(0.99):F1} ms, max {latencies[^1]:F1} ms");
    return $"p50 {P(0.50):F1} ms, p99 {P(0.99):F1} ms ({latencies.Count:N0} of {expected:N0} received)";
}

// The topic's one partition from the beginning, without a group (nothing to wait for, nothing skipped while joining).
IConsumer<string?, string?> Consumer(string topic)
{
    var consumer = new ConsumerBuilder<string?, string?>(new ConsumerConfig
    {
        BootstrapServers = kafka.BootstrapServers, GroupId = "bench-" + Guid.NewGuid().ToString("N"),
        EnableAutoCommit = false, FetchWaitMaxMs = 5,
    }).SetLogHandler((_, _) => { }).Build();
    consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
    return consumer;
}
