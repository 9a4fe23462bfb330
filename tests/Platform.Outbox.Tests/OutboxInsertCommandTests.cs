using System.Text;
using Npgsql;
using NpgsqlTypes;
using Platform.Testing;

namespace Platform.Outbox.Tests;

/// <summary><see cref="OutboxWriter.InsertCommand"/>: an event sent in the writer's own statement batch, with values computed there.</summary>
[Collection(InfraCollection.Name)]
public sealed class OutboxInsertCommandTests(KafkaFixture kafka, PostgresFixture postgres)
{
    [Fact]
    public async Task EventWhoseDataAndExtensionsAreComputedInItsBatch_IsPublishedWithTheComputedValues_OnlyWhenCommitted()
    {
        var topic = kafka.CreateTopic("outbox-sql", partitions: 1);
        var cs = await postgres.CreateDatabaseAsync("outboxsql");
        await using var db = NpgsqlDataSource.Create(cs);
        await OutboxSchema.EnsureCreatedAsync(db);
        await using (var seq = db.CreateCommand("CREATE SEQUENCE test_version START 41"))
            await seq.ExecuteNonQueryAsync();
        using var host = OutboxTestBed.BuildHost(cs, kafka.BootstrapServers);
        await host.StartAsync();

        async Task WriteAsync(string key, bool commit)
        {
            await using var conn = await db.OpenConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await using var batch = new NpgsqlBatch(conn, tx);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT nextval('test_version')"));
            var e = OutboxTestBed.Event(key, 0) with { Data = Encoding.UTF8.GetBytes("{\"version\":\"VERSION\"}") };
            batch.BatchCommands.Add(OutboxWriter.InsertCommand(topic, e,
                dataSql: "convert_to(replace(convert_from($9, 'UTF8'), $11, currval('test_version')::text), 'UTF8')",
                extensionsSql: "jsonb_build_object('version', currval('test_version')::text)",
                new NpgsqlParameter { Value = "VERSION", NpgsqlDbType = NpgsqlDbType.Text }));
            batch.BatchCommands.Add(OutboxWriter.NotifyCommand());
            await batch.ExecuteNonQueryAsync();
            if (commit) await tx.CommitAsync();
            else await tx.RollbackAsync();
        }

        await WriteAsync("rolled-back", commit: false);
        await WriteAsync("committed", commit: true);

        var got = kafka.ConsumeMany(topic, 2, TimeSpan.FromSeconds(5));
        await host.StopAsync();
        var only = Assert.Single(got);
        Assert.Equal("committed", only.Message.Key);
        Assert.Equal("{\"version\":\"42\"}", Encoding.UTF8.GetString(only.Message.Value));
        Assert.Equal("42", Encoding.UTF8.GetString(only.Message.Headers.GetLastBytes("ce_version")));
    }
}
