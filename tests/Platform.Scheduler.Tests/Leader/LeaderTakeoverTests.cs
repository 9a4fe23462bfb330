using Platform.Scheduler.Tests.Integration;
using Platform.Scheduler.Tests.Support;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Scheduler.Tests.Leader;

/// <summary>Two scheduler processes, one leader lease in Postgres: kill -9 the leader and the standby takes over.</summary>
[Collection(SchedulerCollection.Name)]
public sealed class LeaderTakeoverTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task KillingTheLeader_StandbyTakesOverAndBindsNewPods_NoPodBoundTwice()
    {
        await using var api = await ApiServerHost.StartAsync(pg, kafka);
        var token = await SchedulerHost.CreateSchedulerTokenAsync(api);
        var lockKey = Random.Shared.NextInt64(1, long.MaxValue);
        var cluster = await Cluster.CreateAsync(api);
        await cluster.AddNodeAsync(Make.Node("node-1"));

        using var first = SchedulerProcess.Start(api, kafka, token, lockKey);
        await first.WaitForLogAsync("leader lease taken", TimeSpan.FromSeconds(60));
        using var second = SchedulerProcess.Start(api, kafka, token, lockKey);
        await second.WaitForLogAsync("standing by", TimeSpan.FromSeconds(60));
        await second.WaitReadyAsync(TimeSpan.FromSeconds(60));

        await cluster.AddPodAsync(Make.Pod("before", cpu: "100m"));
        Assert.Equal("node-1", await cluster.WaitBoundAsync("before"));
        Assert.DoesNotContain("leader lease taken", second.Output);

        first.KillHard();
        // Created while nobody leads: the standby must pick it up once it holds the lease.
        await cluster.AddPodAsync(Make.Pod("during", cpu: "100m"));
        await second.WaitForLogAsync("leader lease taken", TimeSpan.FromSeconds(15));
        await cluster.AddPodAsync(Make.Pod("after", cpu: "100m"));
        Assert.Equal("node-1", await cluster.WaitBoundAsync("during"));
        Assert.Equal("node-1", await cluster.WaitBoundAsync("after"));

        // The survivor explains each pod it bound once; the killed leader may have died before writing its Event.
        await cluster.WaitEventAsync("during", "Scheduled");
        await cluster.WaitEventAsync("after", "Scheduled");
        Assert.Single(await cluster.EventsAsync("during", "Scheduled"));
        Assert.Single(await cluster.EventsAsync("after", "Scheduled"));
        Assert.True((await cluster.EventsAsync("before", "Scheduled")).Count <= 1);
        // The new leader's cache may still lag behind Kafka and retry a pod the old leader bound: the apiserver's 409
        // turns that into "already bound", which the scheduler drops. Any other bind failure would be a bug.
        var bindFailures = second.Output.Split('\n').Where(l => l.Contains("binding pod", StringComparison.Ordinal)).ToList();
        Assert.All(bindFailures, l => Assert.Contains("is already bound", l, StringComparison.Ordinal));
        Assert.False(second.HasExited);
    }
}
