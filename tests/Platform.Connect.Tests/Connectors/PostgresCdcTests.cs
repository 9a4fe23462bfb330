using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Connect.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Connect.Tests.Connectors;

/// <summary>
/// The PostgreSQL CDC connector against a real server with wal_level=logical: snapshot then streaming, Debezium's
/// envelope, and a worker stopped mid-stream that loses and repeats nothing when it starts again.
/// </summary>
public sealed class PostgresCdcTests(KafkaFixture kafka, PostgresFixture postgres) : IClassFixture<KafkaFixture>, IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task RowsBeforeTheConnector_AreSnapshotReads_ThenInsertUpdateDelete_ArriveInOrder()
    {
        var cs = await postgres.CreateDatabaseAsync("cdc");
        await Sql.ExecuteAsync(cs, """
            CREATE TABLE customers (id SERIAL PRIMARY KEY, name TEXT NOT NULL, score NUMERIC(6,2), joined TIMESTAMP);
            ALTER TABLE customers REPLICA IDENTITY FULL;
            CREATE TABLE ignored (id INT PRIMARY KEY);
            INSERT INTO customers (name, score, joined) VALUES ('kim', 1.5, '2024-01-02 03:04:05'), ('lee', NULL, NULL);
            INSERT INTO ignored VALUES (1);
            """);
        var (prefix, config) = Config(cs, "public.customers");
        var topic = prefix + ".public.customers";
        kafka.EnsureTopic(topic, 1);
        await using var worker = await TestConnectWorker.StartAsync(TestConnectWorker.Distributed(kafka, "cdc-" + Suffix()));
        using var client = worker.Client();
        await client.CreateConnectorAsync(prefix, config);
        await client.WaitForStateAsync(prefix, "RUNNING", 1);

        var snapshot = Values(kafka.ConsumeMany(topic, 2, TimeSpan.FromSeconds(60)));
        Assert.Equal(["r", "r"], snapshot.Select(v => v!["op"]!.GetValue<string>()));
        Assert.Equal(["kim", "lee"], snapshot.Select(v => v!["after"]!["name"]!.GetValue<string>()));
        Assert.Equal(1.5, snapshot[0]!["after"]!["score"]!.GetValue<double>());
        Assert.Equal(1704164645000000L, snapshot[0]!["after"]!["joined"]!.GetValue<long>());
        Assert.Equal("last", snapshot[1]!["source"]!["snapshot"]!.GetValue<string>());

        await Sql.ExecuteAsync(cs, "INSERT INTO customers (name) VALUES ('park')");
        await Sql.ExecuteAsync(cs, "UPDATE customers SET name = 'choi' WHERE name = 'kim'");
        await Sql.ExecuteAsync(cs, "DELETE FROM customers WHERE name = 'lee'");
        var all = kafka.ConsumeMany(topic, 6, TimeSpan.FromSeconds(60));
        Assert.Equal(6, all.Count);
        var changes = Values(all.Skip(2).ToList());
        Assert.Equal(["c", "u", "d"], changes.Take(3).Select(v => v!["op"]!.GetValue<string>()));
        Assert.Null(changes[0]!["before"]);
        Assert.Equal("park", changes[0]!["after"]!["name"]!.GetValue<string>());
        Assert.Equal("kim", changes[1]!["before"]!["name"]!.GetValue<string>());
        Assert.Equal("choi", changes[1]!["after"]!["name"]!.GetValue<string>());
        Assert.Equal("lee", changes[2]!["before"]!["name"]!.GetValue<string>());
        Assert.Null(changes[2]!["after"]);
        var source = changes[2]!["source"]!;
        Assert.Equal(("postgresql", prefix, "public", "customers", "false"), (source["connector"]!.GetValue<string>(), source["name"]!.GetValue<string>(),
            source["schema"]!.GetValue<string>(), source["table"]!.GetValue<string>(), source["snapshot"]!.GetValue<string>()));
        Assert.True(source["lsn"]!.GetValue<long>() > 0 && source["txId"]!.GetValue<long>() > 0);
        Assert.Null(changes[3]); // the tombstone after the delete
        Assert.Equal("""{"id":2}""", all[5].Message.Key);
        Assert.Equal(all[4].Message.Key, all[5].Message.Key);
        // Every record, the tombstone included, says where it stands: what a restarted task reads back from the topic.
        var positions = all.Select(r => System.Text.Encoding.ASCII.GetString(r.Message.Headers.GetLastBytes("__platform.cdc.position"))).ToList();
        var parsed = positions.Select(p => Platform.Connect.Connectors.Postgres.CdcPosition.Parse(System.Text.Encoding.ASCII.GetBytes(p))!.Value).ToList();
        Assert.Equal(parsed.Order(), parsed); // in the order they were produced, no two alike
        Assert.Equal(parsed.Count, parsed.Distinct().Count());
        Assert.StartsWith("r:", positions[0], StringComparison.Ordinal);
        Assert.Equal(positions[4][..^1] + "1", positions[5]);
        await worker.StopAsync();
        await DropSlotAsync(cs, config);
    }

    [Fact]
    public async Task WorkerStoppedMidStream_AndStartedAgain_DeliversEveryRowExactlyOnce()
    {
        var cs = await postgres.CreateDatabaseAsync("cdcrestart");
        await Sql.ExecuteAsync(cs, "CREATE TABLE readings (id INT PRIMARY KEY, batch INT NOT NULL)");
        var (prefix, config) = Config(cs, "public.readings");
        var topic = prefix + ".public.readings";
        kafka.EnsureTopic(topic, 1);
        var group = "cdc-" + Suffix();
        const int Batches = 200, PerBatch = 3;
        var first = await TestConnectWorker.StartAsync(TestConnectWorker.Distributed(kafka, group));
        using (var client = first.Client())
        {
            await client.CreateConnectorAsync(prefix, config);
            await client.WaitForStateAsync(prefix, "RUNNING", 1);
        }
        // Three rows per transaction, so a stop can fall inside a transaction's events.
        var writer = Task.Run(async () =>
        {
            for (var b = 0; b < Batches; b++)
            {
                await Sql.ExecuteAsync(cs, string.Join(";", Enumerable.Range(0, PerBatch).Select(i => $"INSERT INTO readings VALUES ({b * PerBatch + i}, {b})")));
                await Task.Delay(25);
            }
        });
        // A fresh consumer group takes a few seconds to join, hence the generous timeouts of each read.
        Assert.True(kafka.ConsumeMany(topic, 60, TimeSpan.FromSeconds(60)).Count >= 60, "the first rows did not arrive");
        Assert.False(writer.IsCompleted, "the writer finished before the stop; the test would not stop mid-stream");
        await first.StopAsync();
        var second = await TestConnectWorker.StartAsync(TestConnectWorker.Distributed(kafka, group));
        await using (second)
        {
            await writer;
            const int Total = Batches * PerBatch;
            // Waits for one more than was written, so a repeated row would be seen.
            var ids = Values(kafka.ConsumeMany(topic, Total + 1, TimeSpan.FromSeconds(60))).Select(v => v!["after"]!["id"]!.GetValue<int>()).ToList();
            Assert.Equal(Total, ids.Count);
            Assert.Equal(Enumerable.Range(0, Total), ids.Order());
            Assert.Equal(Enumerable.Range(0, Total), ids); // and in commit order
        }
        await DropSlotAsync(cs, config);
    }

    [Fact]
    public async Task WorkerProcessKilledBetweenOffsetFlushes_AndStartedAgain_DeliversEveryRowExactlyOnce()
    {
        var cs = await postgres.CreateDatabaseAsync("cdckill");
        const int Snapshot = 30, Batches = 200, PerBatch = 3;
        // Rows before the connector: a snapshot that completes before the kill, and must not be taken again after it.
        await Sql.ExecuteAsync(cs, $"CREATE TABLE readings (id INT PRIMARY KEY, batch INT NOT NULL); INSERT INTO readings SELECT g, -1 FROM generate_series(0, {Snapshot - 1}) g");
        var (prefix, config) = Config(cs, "public.readings");
        var topic = prefix + ".public.readings";
        kafka.EnsureTopic(topic, 1);
        var settings = TestConnectWorker.Distributed(kafka, "cdc-" + Suffix());
        // Offsets are flushed once a minute, so the kill lands before any flush: the slot replays every row it sent.
        settings["Connect:OffsetFlushIntervalMs"] = "60000";
        var first = await StartWorkerProcessAsync(settings);
        var killed = false;
        try
        {
            using (var client = WorkerClient(first))
            {
                // The process answers health before it joined its group; until then the API answers 409.
                await Eventually.WaitAsync(async () => (await client.SendAsync(HttpMethod.Post, "connectors",
                    new JsonObject { ["name"] = prefix, ["config"] = config.DeepClone() })).Status == HttpStatusCode.Created,
                    TimeSpan.FromSeconds(60), "the worker process to join its group and take the connector");
                await client.WaitForStateAsync(prefix, "RUNNING", 1);
            }
            var writer = Task.Run(async () =>
            {
                for (var b = 0; b < Batches; b++)
                {
                    await Sql.ExecuteAsync(cs, string.Join(";", Enumerable.Range(0, PerBatch).Select(i => $"INSERT INTO readings VALUES ({Snapshot + b * PerBatch + i}, {b})")));
                    await Task.Delay(25);
                }
            });
            Assert.True(kafka.ConsumeMany(topic, Snapshot + 60, TimeSpan.FromSeconds(60)).Count >= Snapshot + 60, "the first rows did not arrive");
            Assert.False(writer.IsCompleted, "the writer finished before the kill; the test would not kill mid-stream");
            await first.DisposeAsync(); // SIGKILL: no stop, no offset flush, no producer flush
            killed = true;
            await using var second = await StartWorkerProcessAsync(settings);
            await writer;
            const int Total = Snapshot + Batches * PerBatch;
            // Waits for one more than was written, so a repeated row would be seen.
            var values = Values(kafka.ConsumeMany(topic, Total + 1, TimeSpan.FromSeconds(60)));
            var ids = values.Select(v => v!["after"]!["id"]!.GetValue<int>()).ToList();
            Assert.Equal(Enumerable.Range(0, Total), ids.Order());
            Assert.Equal(Enumerable.Range(0, Total), ids); // and in commit order
            // One snapshot (it may have caught some of the writer's first rows too), never taken again after the kill.
            Assert.Single(values, v => v!["source"]!["snapshot"]!.GetValue<string>() == "last");
            Assert.True(values.TakeWhile(v => v!["op"]!.GetValue<string>() == "r").Count() >= Snapshot, "the snapshot's rows come first");
        }
        finally
        {
            if (!killed) await first.DisposeAsync();
        }
        await Eventually.WaitAsync(async () => await SlotActiveAsync(cs, config) == false, TimeSpan.FromSeconds(30), "the slot's reader to go");
        await DropSlotAsync(cs, config);
    }

    /// <summary>A worker in its own process (<c>dotnet Platform.Connect.dll</c>), so it can be killed with SIGKILL.</summary>
    private static Task<ServerProcess> StartWorkerProcessAsync(Dictionary<string, string?> settings)
    {
        var env = settings.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);
        env["Connect__Username"] = TestConnectWorker.User;
        env["Connect__Password"] = TestConnectWorker.Password;
        return ServerProcess.StartAsync(Path.Combine(AppContext.BaseDirectory, "Platform.Connect.dll"), Network.FreeTcpPort(), env, healthPath: "healthz");
    }

    private static HttpClient WorkerClient(ServerProcess worker)
    {
        var client = new HttpClient { BaseAddress = worker.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{TestConnectWorker.User}:{TestConnectWorker.Password}")));
        return client;
    }

    private static async Task<bool?> SlotActiveAsync(string cs, JsonObject config)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT active FROM pg_replication_slots WHERE slot_name = $1", connection)
        {
            Parameters = { new() { Value = config["slot.name"]!.GetValue<string>() } },
        };
        return (bool?)await cmd.ExecuteScalarAsync();
    }

    [Fact]
    public async Task BadSettings_Are400_WithAnErrorPerField()
    {
        await using var worker = await TestConnectWorker.StartAsync(TestConnectWorker.Distributed(kafka, "cdc-" + Suffix()));
        using var client = worker.Client();
        var (status, body) = await client.SendAsync(HttpMethod.Post, "connectors", new JsonObject
        {
            ["name"] = "bad-cdc",
            ["config"] = new JsonObject
            {
                ["connector.class"] = "io.debezium.connector.postgresql.PostgresConnector",
                ["database.user"] = "postgres",
                ["database.dbname"] = "app",
                ["topic.prefix"] = "app",
                ["slot.name"] = "Bad-Slot",
                ["plugin.name"] = "decoderbufs",
                ["snapshot.mode"] = "sometimes",
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = body!["message"]!.GetValue<string>();
        Assert.StartsWith("Connector configuration is invalid and contains the following 4 error(s):", message);
        Assert.Contains("Missing required configuration \"database.hostname\" which has no default value.", message);
        Assert.Contains("Invalid value Bad-Slot for configuration slot.name: Valid replication slot name must contain only digits, lowercase characters and underscores", message);
        Assert.Contains("Invalid value decoderbufs for configuration plugin.name:", message);
        Assert.Contains("Invalid value sometimes for configuration snapshot.mode: String must be one of: initial, never, no_data", message);
    }

    private static (string Prefix, JsonObject Config) Config(string cs, string tables)
    {
        var db = new NpgsqlConnectionStringBuilder(cs);
        var suffix = Suffix();
        return ("cdc" + suffix, new JsonObject
        {
            ["connector.class"] = "io.debezium.connector.postgresql.PostgresConnector",
            ["database.hostname"] = db.Host,
            ["database.port"] = db.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["database.user"] = db.Username,
            ["database.dbname"] = db.Database,
            ["topic.prefix"] = "cdc" + suffix,
            ["table.include.list"] = tables,
            ["slot.name"] = "slot_" + suffix,
            ["publication.name"] = "pub_" + suffix,
            ["slot.retry.delay.ms"] = "500",
            ["poll.interval.ms"] = "100",
            ["key.converter.schemas.enable"] = "false",
            ["value.converter.schemas.enable"] = "false",
        });
    }

    /// <summary>Slots are server-wide and keep WAL while they exist: each test drops its own once its worker stopped.</summary>
    private static async Task DropSlotAsync(string cs, JsonObject config) =>
        await Sql.ExecuteAsync(cs, $"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '{config["slot.name"]}' AND NOT active");

    private static string Suffix() => Guid.NewGuid().ToString("N")[..10];

    private static List<JsonNode?> Values(List<Confluent.Kafka.ConsumeResult<string?, byte[]>> records) =>
        [.. records.Select(r => r.Message.Value is null ? null : JsonNode.Parse(r.Message.Value))];
}
