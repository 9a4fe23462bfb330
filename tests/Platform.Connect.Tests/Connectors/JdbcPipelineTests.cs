using System.Text.Json.Nodes;
using Npgsql;
using Platform.Connect.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Connect.Tests.Connectors;

/// <summary>
/// Seed 004's pipeline, configured only through the REST API: a MariaDB table → JDBC source → topic → JDBC sink →
/// a PostgreSQL table; then the worker restarts and resumes from its committed offsets.
/// </summary>
public sealed class JdbcPipelineTests(KafkaFixture kafka, MariaDbFixture mariadb, PostgresFixture postgres)
    : IClassFixture<KafkaFixture>, IClassFixture<MariaDbFixture>, IClassFixture<PostgresFixture>
{
    private const int PollMs = 500;

    [Fact]
    public async Task MariaDbToPostgres_InsertsAndUpdatesArrive_AndARestartedWorkerResumesWithoutLossOrDuplicates()
    {
        var shop = await mariadb.CreateDatabaseAsync("shop");
        await mariadb.ExecuteAsync(shop, """
            CREATE TABLE users (
              id INT AUTO_INCREMENT PRIMARY KEY,
              name VARCHAR(100) NOT NULL,
              email VARCHAR(100),
              updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3))
            """);
        await mariadb.ExecuteAsync(shop, "INSERT INTO users (name, email) VALUES ('kim', 'kim@example.com'), ('lee', 'lee@example.com')");
        var warehouse = await postgres.CreateDatabaseAsync("warehouse");
        var pg = new NpgsqlConnectionStringBuilder(warehouse);
        var prefix = "shop-" + Guid.NewGuid().ToString("N")[..8] + "-";
        var group = "connect-" + Guid.NewGuid().ToString("N")[..8];
        var settings = TestConnectWorker.Distributed(kafka, group);

        var worker = await TestConnectWorker.StartAsync(settings);
        try
        {
            using var client = worker.Client();
            await client.CreateConnectorAsync("shop-source", new JsonObject
            {
                ["connector.class"] = "io.confluent.connect.jdbc.JdbcSourceConnector",
                ["connection.url"] = mariadb.JdbcUrl(shop),
                ["mode"] = "timestamp+incrementing",
                ["incrementing.column.name"] = "id",
                ["timestamp.column.name"] = "updated_at",
                ["table.whitelist"] = "users",
                ["topic.prefix"] = prefix,
                ["poll.interval.ms"] = PollMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["transforms"] = "createKey",
                ["transforms.createKey.type"] = "org.apache.kafka.connect.transforms.ValueToKey",
                ["transforms.createKey.fields"] = "id",
            });
            await client.CreateConnectorAsync("warehouse-sink", new JsonObject
            {
                ["connector.class"] = "io.confluent.connect.jdbc.JdbcSinkConnector",
                ["connection.url"] = $"jdbc:postgresql://{pg.Host}:{pg.Port}/{pg.Database}",
                ["connection.user"] = pg.Username,
                ["topics"] = prefix + "users",
                ["insert.mode"] = "upsert",
                ["pk.mode"] = "record_key",
                ["auto.create"] = "true",
                ["auto.evolve"] = "true",
                ["table.name.format"] = "users_copy",
            });
            await client.WaitForStateAsync("shop-source", "RUNNING", 1);
            await client.WaitForStateAsync("warehouse-sink", "RUNNING", 1);

            await WaitForRowsAsync(warehouse, ["1:kim", "2:lee"]);
            await mariadb.ExecuteAsync(shop, "UPDATE users SET name = 'kim jiwoo' WHERE id = 1");
            await mariadb.ExecuteAsync(shop, "INSERT INTO users (name) VALUES ('park')");
            await WaitForRowsAsync(warehouse, ["1:kim jiwoo", "2:lee", "3:park"]);

            // The position of the last row read (park, id 3) is committed within an offset flush interval.
            var offsets = await Eventually.WaitAsync(async () =>
            {
                var (_, body) = await client.SendAsync(HttpMethod.Get, "connectors/shop-source/offsets");
                return body?["offsets"]?[0]?["offset"]?["incrementing"]?.GetValue<long>() == 3 ? body : null;
            }, TimeSpan.FromSeconds(10), "the source offset of row 3");
            Assert.Equal("users", offsets["offsets"]![0]!["partition"]!["table"]!.GetValue<string>());
            Assert.True(offsets["offsets"]![0]!["offset"]!["timestamp"]!.GetValue<long>() > 0);
        }
        finally
        {
            await worker.StopAsync();
        }

        // Written while no worker runs: the next worker reads the connectors back from the config topic and the
        // source's position from the offsets topic, so it copies exactly these changes.
        await mariadb.ExecuteAsync(shop, "INSERT INTO users (name) VALUES ('choi')");
        await mariadb.ExecuteAsync(shop, "UPDATE users SET email = 'lee@new.example.com' WHERE id = 2");
        await using var restarted = await TestConnectWorker.StartAsync(settings);
        using var again = restarted.Client();
        await again.WaitForStateAsync("shop-source", "RUNNING", 1);
        await WaitForRowsAsync(warehouse, ["1:kim jiwoo", "2:lee", "3:park", "4:choi"]);
        await Eventually.WaitAsync(async () => await ScalarAsync(warehouse, "SELECT email FROM users_copy WHERE id = 2") as string == "lee@new.example.com",
            TimeSpan.FromSeconds(30), "the update made while the worker was down");

        // Two inserts, an update and an insert, then an insert and an update after the restart: six records, none read
        // twice (asking for a seventh shows there is none).
        var records = kafka.ConsumeMany(prefix + "users", 7, TimeSpan.FromSeconds(5));
        Assert.Equal(6, records.Count);
        var keys = records.Select(r => JsonNode.Parse(r.Message.Value)!["payload"]!["id"]!.GetValue<int>()).ToList();
        Assert.Equal([1, 1, 2, 2, 3, 4], keys.Order());
        // The key ValueToKey made, in the JSON converter's envelope: {"schema":{...},"payload":{"id":N}}.
        Assert.All(records, r => Assert.Equal(
            JsonNode.Parse(r.Message.Value)!["payload"]!["id"]!.GetValue<int>(), JsonNode.Parse(r.Message.Key!)!["payload"]!["id"]!.GetValue<int>()));
        Assert.Equal(4L, await ScalarAsync(warehouse, "SELECT COUNT(*) FROM users_copy"));
    }

    private static async Task WaitForRowsAsync(string connectionString, string[] expected)
    {
        var seen = new List<string>();
        try
        {
            await WaitForRowsAsync(connectionString, expected, seen);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; the table held {string.Join(", ", seen)}", ex);
        }
    }

    private static async Task WaitForRowsAsync(string connectionString, string[] expected, List<string> seen) =>
        await Eventually.WaitAsync(async () =>
        {
            try
            {
                await using var conn = new NpgsqlConnection(connectionString);
                await conn.OpenAsync();
                await using var cmd = new NpgsqlCommand("SELECT id, name FROM users_copy ORDER BY id", conn);
                await using var reader = await cmd.ExecuteReaderAsync();
                var rows = new List<string>();
                while (await reader.ReadAsync()) rows.Add($"{reader.GetInt32(0)}:{reader.GetString(1)}");
                seen.Clear();
                seen.AddRange(rows);
                return rows.SequenceEqual(expected);
            }
            catch (PostgresException ex) when (ex.SqlState == "42P01")
            {
                return false; // the sink has not created the table yet
            }
        }, TimeSpan.FromSeconds(30), "users_copy to hold " + string.Join(", ", expected));

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }
}
