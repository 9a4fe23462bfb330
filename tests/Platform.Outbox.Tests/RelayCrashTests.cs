using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Npgsql;
using Platform.Testing;

namespace Platform.Outbox.Tests;

/// <summary>The relay is killed (SIGKILL) in the middle of publishing; a new one must deliver every committed event, in order per key.</summary>
[Collection(InfraCollection.Name)]
public sealed class RelayCrashTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private const int Keys = 20;
    private const int Total = 20_000;

    [Fact]
    public async Task RelayKilledMidBatch_RestartedRelayPublishesEveryCommittedEvent_InOrderPerKey()
    {
        var topic = kafka.CreateTopic("crash", partitions: 6);
        var cs = await postgres.CreateDatabaseAsync("crash");
        await using var db = NpgsqlDataSource.Create(cs);
        await OutboxSchema.EnsureCreatedAsync(db);
        for (var chunk = 0; chunk < Total; chunk += 1000)
            await OutboxTestBed.AppendCommittedAsync(db, topic,
                Enumerable.Range(chunk, 1000).Select(i => OutboxTestBed.Event($"key-{i % Keys}", i)));

        using (var first = StartRelay(cs))
        {
            // Kill it once it has marked some rows published but not all: mid-stream, between batches or inside one.
            await Eventually.WaitAsync(async () => await CountPublishedAsync(db) >= 1000, TimeSpan.FromSeconds(60), "first relay publishing", interval: TimeSpan.FromMilliseconds(5));
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }
        var publishedAtKill = await CountPublishedAsync(db);
        Assert.InRange(publishedAtKill, 1000, Total - 1);

        using var second = StartRelay(cs);
        try
        {
            await Eventually.WaitAsync(async () => await CountPublishedAsync(db) == Total, TimeSpan.FromSeconds(120), "second relay finishing");
        }
        finally
        {
            second.Kill(entireProcessTree: true);
        }

        // At least once: duplicates are allowed, losses are not. Dedupe by CloudEvents id, keep first arrival.
        var seen = new HashSet<string>();
        var perKey = new Dictionary<string, List<int>>();
        using (var consumer = kafka.CreateConsumer(topic))
        {
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (seen.Count < Total && DateTime.UtcNow < deadline)
            {
                var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (r is null || !seen.Add(Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("ce_id")))) continue;
                var seq = JsonDocument.Parse(r.Message.Value).RootElement.GetProperty("seq").GetInt32();
                (perKey.TryGetValue(r.Message.Key!, out var list) ? list : perKey[r.Message.Key!] = []).Add(seq);
            }
        }
        Assert.Equal(Total, seen.Count);
        Assert.Equal(Keys, perKey.Count);
        foreach (var (key, seqs) in perKey)
            Assert.True(seqs.SequenceEqual(seqs.Order()), $"{key} out of order");
    }

    private Process StartRelay(string connectionString)
    {
        var psi = new ProcessStartInfo("dotnet", RepoPaths.RelayHostDll) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["ConnectionStrings__Platform"] = connectionString;
        psi.Environment["Kafka__BootstrapServers"] = kafka.BootstrapServers;
        psi.Environment["Outbox__BatchSize"] = "500";
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static async Task<long> CountPublishedAsync(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand($"SELECT count(*) FROM {OutboxSchema.Table} WHERE published_at IS NOT NULL");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
