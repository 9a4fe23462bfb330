using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Platform.EventBus;
using Platform.EventBus.CloudEvents;

namespace Platform.Outbox.Tests;

/// <summary>A host with the event bus, the database and the relay, as a service would have them.</summary>
internal static class OutboxTestBed
{
    public static IHost BuildHost(string connectionString, string bootstrap, int batchSize = 2000)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Platform"] = connectionString,
            ["Kafka:BootstrapServers"] = bootstrap,
            ["Kafka:StartupTimeoutSeconds"] = "3",
            ["Outbox:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.Services.AddEventBus();
        builder.Services.AddPlatformDatabase(builder.Configuration);
        builder.Services.AddOutboxRelay();
        return builder.Build();
    }

    public static async Task AppendCommittedAsync(NpgsqlDataSource db, string topic, IEnumerable<PlatformEvent> events, bool commit = true)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await OutboxWriter.AppendManyAsync(conn, tx, events.Select(e => (topic, e)).ToList());
        if (commit) await tx.CommitAsync();
        else await tx.RollbackAsync();
    }

    public static PlatformEvent Event(string key, int seq) =>
        PlatformEvent.Create("/outbox-test", "io.platform.test.updated", key, new { seq }, subject: $"{key}#{seq}");
}
