using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Platform.Testing;

namespace Platform.Outbox.Tests;

[Collection(InfraCollection.Name)]
public sealed class OutboxRelayTests(KafkaFixture kafka, PostgresFixture postgres)
{
    [Fact]
    public async Task CommittedEvent_ReachesConsumerGroup_WithCloudEventHeaders()
    {
        var topic = kafka.CreateTopic("outbox");
        var cs = await postgres.CreateDatabaseAsync("outbox");
        await using var db = NpgsqlDataSource.Create(cs);
        await OutboxSchema.EnsureCreatedAsync(db);
        using var host = OutboxTestBed.BuildHost(cs, kafka.BootstrapServers);
        await host.StartAsync();

        var e = OutboxTestBed.Event("default/web", 1);
        await OutboxTestBed.AppendCommittedAsync(db, topic, [e]);

        var got = Assert.Single(kafka.ConsumeMany(topic, 1, TimeSpan.FromSeconds(20)));
        await host.StopAsync();
        string Header(string n) => Encoding.UTF8.GetString(got.Message.Headers.GetLastBytes(n));
        Assert.Equal(e.Id, Header("ce_id"));
        Assert.Equal("1.0", Header("ce_specversion"));
        Assert.Equal("/outbox-test", Header("ce_source"));
        Assert.Equal("io.platform.test.updated", Header("ce_type"));
        Assert.Equal("default/web#1", Header("ce_subject"));
        Assert.Equal("default/web", got.Message.Key);
        Assert.Equal("{\"seq\":1}", Encoding.UTF8.GetString(got.Message.Value));
    }

    [Fact]
    public async Task RolledBackTransaction_PublishesNothing()
    {
        var topic = kafka.CreateTopic("rollback", partitions: 1);
        var cs = await postgres.CreateDatabaseAsync("rollback");
        await using var db = NpgsqlDataSource.Create(cs);
        await OutboxSchema.EnsureCreatedAsync(db);
        using var host = OutboxTestBed.BuildHost(cs, kafka.BootstrapServers);
        await host.StartAsync();

        await OutboxTestBed.AppendCommittedAsync(db, topic, [OutboxTestBed.Event("k", 1)], commit: false);
        var marker = OutboxTestBed.Event("k", 2);
        await OutboxTestBed.AppendCommittedAsync(db, topic, [marker]);

        // One partition, so the marker arriving means anything written before it would have arrived first.
        var got = kafka.ConsumeMany(topic, 2, TimeSpan.FromSeconds(5));
        await host.StopAsync();
        var only = Assert.Single(got);
        Assert.Equal(marker.Id, Encoding.UTF8.GetString(only.Message.Headers.GetLastBytes("ce_id")));
    }

    [Fact]
    public async Task EventsCommittedWhileRelayIsDown_ArePublishedWhenItStarts()
    {
        var topic = kafka.CreateTopic("backlog");
        var cs = await postgres.CreateDatabaseAsync("backlog");
        await using var db = NpgsqlDataSource.Create(cs);
        await OutboxSchema.EnsureCreatedAsync(db);
        await OutboxTestBed.AppendCommittedAsync(db, topic, Enumerable.Range(0, 50).Select(i => OutboxTestBed.Event("k" + (i % 5), i)));

        using var host = OutboxTestBed.BuildHost(cs, kafka.BootstrapServers);
        await host.StartAsync();
        var got = kafka.ConsumeMany(topic, 50, TimeSpan.FromSeconds(20));
        var state = host.Services.GetRequiredService<OutboxRelayState>();
        await host.StopAsync();
        Assert.Equal(50, got.Select(g => Encoding.UTF8.GetString(g.Message.Headers.GetLastBytes("ce_id"))).Distinct().Count());
        Assert.Equal(50, state.Published);
    }

    [Fact]
    public async Task UnreachablePostgres_FailsStart_NamingSettingAndAddress()
    {
        var port = Network.FreeTcpPort();
        using var host = OutboxTestBed.BuildHost($"Host=127.0.0.1;Port={port};Username=postgres;Timeout=2", kafka.BootstrapServers);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("ConnectionStrings:Platform", ex.Message);
        Assert.Contains($"127.0.0.1:{port}", ex.Message);
    }

    [Fact]
    public async Task UnreachableBroker_FailsStart_NamingSettingAndAddress()
    {
        var cs = await postgres.CreateDatabaseAsync("nobroker");
        var port = Network.FreeTcpPort();
        using var host = OutboxTestBed.BuildHost(cs, $"127.0.0.1:{port}");
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("Kafka:BootstrapServers", ex.Message);
        Assert.Contains($"127.0.0.1:{port}", ex.Message);
    }
}
