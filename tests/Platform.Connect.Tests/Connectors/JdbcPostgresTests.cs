using System.Text.Json.Nodes;
using Confluent.Kafka;
using Npgsql;
using Platform.Connect.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Connect.Tests.Connectors;

/// <summary>The JDBC connectors against PostgreSQL alone: incrementing source; sink deletes on tombstones and widens tables.</summary>
public sealed class JdbcPostgresTests(KafkaFixture kafka, PostgresFixture postgres) : IClassFixture<KafkaFixture>, IClassFixture<PostgresFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("connect-pg-").FullName;

    [Fact]
    public async Task Sink_UpsertsByKey_AddsNewColumns_AndDeletesOnTombstones()
    {
        var db = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync("sink"));
        var topic = kafka.CreateTopic("accounts", partitions: 1);
        await using var worker = await TestConnectWorker.StartAsync(TestConnectWorker.Standalone(kafka.BootstrapServers, Path.Combine(_dir, "offsets")));
        using var client = worker.Client();
        await client.CreateConnectorAsync("accounts-sink", new JsonObject
        {
            ["connector.class"] = "JdbcSinkConnector",
            ["connection.url"] = $"jdbc:postgresql://{db.Host}:{db.Port}/{db.Database}?user={db.Username}",
            ["topics"] = topic,
            ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
            ["insert.mode"] = "upsert",
            ["pk.mode"] = "record_key",
            ["pk.fields"] = "account_id",
            ["auto.create"] = "true",
            ["auto.evolve"] = "true",
            ["delete.enabled"] = "true",
            ["table.name.format"] = "accounts",
        });
        using var producer = new ProducerBuilder<string, string?>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        static string Row(string name, int? balance = null)
        {
            var fields = new JsonArray(new JsonObject { ["type"] = "string", ["optional"] = false, ["field"] = "name" });
            var payload = new JsonObject { ["name"] = name };
            if (balance is { } b)
            {
                fields.Add(new JsonObject { ["type"] = "int32", ["optional"] = true, ["field"] = "balance" });
                payload["balance"] = b;
            }
            return new JsonObject { ["schema"] = new JsonObject { ["type"] = "struct", ["fields"] = fields, ["optional"] = false }, ["payload"] = payload }.ToJsonString();
        }
        await producer.ProduceAsync(topic, new Message<string, string?> { Key = "a-1", Value = Row("kim") });
        await producer.ProduceAsync(topic, new Message<string, string?> { Key = "a-2", Value = Row("lee") });
        await WaitForAsync(db.ConnectionString, "SELECT string_agg(account_id || ':' || name, ',' ORDER BY account_id) FROM accounts", "a-1:kim,a-2:lee");

        await producer.ProduceAsync(topic, new Message<string, string?> { Key = "a-1", Value = Row("kim", 100) });
        await WaitForAsync(db.ConnectionString, "SELECT account_id || ':' || name || ':' || balance FROM accounts WHERE account_id = 'a-1'", "a-1:kim:100");

        await producer.ProduceAsync(topic, new Message<string, string?> { Key = "a-2", Value = null });
        await WaitForAsync(db.ConnectionString, "SELECT string_agg(account_id, ',') FROM accounts", "a-1");
    }

    [Fact]
    public async Task IncrementingSource_CopiesNewRowsOnce_ToPrefixedTopics()
    {
        var cs = await postgres.CreateDatabaseAsync("src");
        var db = new NpgsqlConnectionStringBuilder(cs);
        await Sql.ExecuteAsync(cs, "CREATE TABLE orders (id BIGSERIAL PRIMARY KEY, item TEXT NOT NULL, qty INT); INSERT INTO orders (item, qty) VALUES ('pen', 2), ('ink', NULL)");
        var prefix = "pg-" + Guid.NewGuid().ToString("N")[..8] + "-";
        kafka.EnsureTopic(prefix + "orders", 1);
        await using var worker = await TestConnectWorker.StartAsync(TestConnectWorker.Standalone(kafka.BootstrapServers, Path.Combine(_dir, "offsets-src")));
        using var client = worker.Client();
        await client.CreateConnectorAsync("orders-source", new JsonObject
        {
            ["connector.class"] = "JdbcSourceConnector",
            ["connection.url"] = $"jdbc:postgresql://{db.Host}:{db.Port}/{db.Database}",
            ["connection.user"] = db.Username,
            ["mode"] = "incrementing",
            ["incrementing.column.name"] = "id",
            ["topic.prefix"] = prefix,
            ["poll.interval.ms"] = "300",
            ["value.converter.schemas.enable"] = "false",
        });
        await client.WaitForStateAsync("orders-source", "RUNNING", 1);
        Assert.Equal(2, kafka.ConsumeMany(prefix + "orders", 2, TimeSpan.FromSeconds(30)).Count);
        await Sql.ExecuteAsync(cs, "INSERT INTO orders (item, qty) VALUES ('pad', 5)");

        var all = kafka.ConsumeMany(prefix + "orders", 4, TimeSpan.FromSeconds(10));
        Assert.Equal(["pen", "ink", "pad"], all.Select(r => JsonNode.Parse(r.Message.Value)!["item"]!.GetValue<string>()));
        Assert.Equal("""{"id":3,"item":"pad","qty":5}""", System.Text.Encoding.UTF8.GetString(all[2].Message.Value));
        Assert.Null(JsonNode.Parse(all[1].Message.Value)!["qty"]);
    }

    private static async Task WaitForAsync(string cs, string sql, string expected)
    {
        object? last = null;
        try
        {
            await Eventually.WaitAsync(async () =>
            {
                try
                {
                    await using var conn = new NpgsqlConnection(cs);
                    await conn.OpenAsync();
                    await using var cmd = new NpgsqlCommand(sql, conn);
                    last = await cmd.ExecuteScalarAsync();
                    return last as string == expected;
                }
                catch (PostgresException ex) when (ex.SqlState is "42P01" or "42703")
                {
                    return false; // table or column not there yet
                }
            }, TimeSpan.FromSeconds(30), $"{sql} to be {expected}");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; it was {last}", ex);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
