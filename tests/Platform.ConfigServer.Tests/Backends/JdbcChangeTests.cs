using System.Text.Json;
using Npgsql;
using Platform.ConfigServer.Tests.Support;
using Platform.Testing;

namespace Platform.ConfigServer.Tests.Backends;

public sealed class JdbcChangeTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task JdbcPublishChanges_RowsChanged_PublishOneRefreshPerApplication()
    {
        var topic = kafka.CreateTopic("bus", 1);
        var cs = await postgres.CreateDatabaseAsync("cfg");
        await ExecAsync(cs, "CREATE TABLE PROPERTIES (APPLICATION TEXT, PROFILE TEXT, LABEL TEXT, KEY TEXT, VALUE TEXT)");
        await using var host = await ConfigServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConfigServer:Jdbc:ConnectionString"] = cs,
            ["ConfigServer:Jdbc:PublishChanges"] = "true",
            ["ConfigServer:Bus:Enabled"] = "true",
            ["ConfigServer:Bus:Topic"] = topic,
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
        });
        await Eventually.WaitAsync(async () => await TriggerInstalledAsync(cs), TimeSpan.FromSeconds(15), "change trigger installed");

        await ExecAsync(cs, """
            INSERT INTO PROPERTIES VALUES ('shipping','default','master','a','1'), ('shipping','dev','master','b','2');
            INSERT INTO PROPERTIES VALUES ('billing','default','master','c','3');
            """);

        var destinations = kafka.ConsumeMany(topic, 2, TimeSpan.FromSeconds(15))
            .Select(m => JsonDocument.Parse(m.Message.Value).RootElement.GetProperty("destinationService").GetString())
            .Order().ToList();
        Assert.Equal(["billing:**", "shipping:**"], destinations);
        using var client = host.CreateClient();
        var env = JsonDocument.Parse(await client.GetStringAsync("/shipping/dev")).RootElement;
        Assert.Equal("2", env.GetProperty("propertySources")[0].GetProperty("source").GetProperty("b").GetString());
    }

    private static async Task<bool> TriggerInstalledAsync(string cs)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'config_server_notify%'", conn);
        return (long)(await cmd.ExecuteScalarAsync())! > 0;
    }

    private static async Task ExecAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
