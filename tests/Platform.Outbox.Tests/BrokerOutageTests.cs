using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Platform.EventBus;
using Platform.EventBus.Kafka;
using Platform.Testing;

namespace Platform.Outbox.Tests;

/// <summary>The broker goes away while the relay runs: it reports unready, keeps retrying, and loses nothing.</summary>
[Collection(InfraCollection.Name)]
public sealed class BrokerOutageTests(PostgresFixture postgres)
{
    [Fact]
    public async Task BrokersDown_RelayReportsUnready_ThenPublishesEverythingWhenTheyReturn()
    {
        // A cluster of its own: taking brokers down must not disturb other tests.
        using var cluster = MockKafkaCluster.Start(3);
        cluster.CreateTopic("outage", 3, 3);
        var cs = await postgres.CreateDatabaseAsync("outage");
        await using var db = NpgsqlDataSource.Create(cs);
        await OutboxSchema.EnsureCreatedAsync(db);

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Platform"] = cs,
            ["Kafka:BootstrapServers"] = cluster.BootstrapServers,
            ["Kafka:MessageTimeoutMs"] = "2000",
            ["Outbox:MaxBackoff"] = "00:00:00.500",
        });
        builder.Services.AddEventBus();
        builder.Services.AddPlatformDatabase(builder.Configuration);
        builder.Services.AddOutboxRelay();
        using var host = builder.Build();
        await host.StartAsync();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        var state = host.Services.GetRequiredService<OutboxRelayState>();
        await Eventually.WaitAsync(() => state.Phase == "Active", TimeSpan.FromSeconds(20), "relay active");

        for (var b = 1; b <= 3; b++) cluster.SetBrokerUp(b, up: false);
        await OutboxTestBed.AppendCommittedAsync(db, "outage", Enumerable.Range(0, 20).Select(i => OutboxTestBed.Event("k" + (i % 3), i)));

        await Eventually.WaitAsync(async () => state.Published > 0 ||
            (await health.CheckHealthAsync(c => c.Tags.Contains("ready"))).Entries["outbox-relay"].Status == HealthStatus.Unhealthy,
            TimeSpan.FromSeconds(30), "outbox relay reported unready while brokers are down");
        Assert.True(state.Phase == "Failing", $"phase {state.Phase}, published {state.Published}, error {state.LastError}");
        Assert.Equal(0, state.Published);

        for (var b = 1; b <= 3; b++) cluster.SetBrokerUp(b, up: true);
        try
        {
            await Eventually.WaitAsync(() => state.Published == 20, TimeSpan.FromSeconds(60), "all 20 events published after the outage");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"after the outage: phase {state.Phase}, published {state.Published}, error {state.LastError}");
        }
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(c => c.Tags.Contains("ready"))).Entries["outbox-relay"].Status);
        await host.StopAsync();

        using var consumer = new Confluent.Kafka.ConsumerBuilder<string?, byte[]>(new Confluent.Kafka.ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers, GroupId = "outage-check", AutoOffsetReset = Confluent.Kafka.AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe("outage");
        var ids = new HashSet<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (ids.Count < 20 && DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r is not null) ids.Add(Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("ce_id")));
        }
        Assert.Equal(20, ids.Count);
    }
}
