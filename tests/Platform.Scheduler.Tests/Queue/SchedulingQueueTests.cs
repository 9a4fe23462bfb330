using Microsoft.Extensions.Time.Testing;
using Platform.Scheduler.Queue;
using Platform.Scheduler.Tests.Support;

namespace Platform.Scheduler.Tests.Queue;

public sealed class SchedulingQueueTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));

    private SchedulingQueue NewQueue() => new(new QueueOptions(), _time);

    private static PodInfo Pod(string name, int priority = 0, string cpu = "1") =>
        new(Make.Pod(name, cpu: cpu).With(s => s with { Priority = priority }));

    private static async Task<string?> TryPopAsync(SchedulingQueue q)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        try { return (await q.PopAsync(cts.Token)).Pod.Name; }
        catch (OperationCanceledException) { return null; }
    }

    [Fact]
    public async Task Pop_HighestPriorityFirst_ThenFifo()
    {
        var q = NewQueue();
        q.AddOrUpdate(Pod("low-1", 0));
        q.AddOrUpdate(Pod("high", 100));
        q.AddOrUpdate(Pod("low-2", 0));
        q.AddOrUpdate(Pod("mid", 10));
        Assert.Equal<string?[]>(["high", "mid", "low-1", "low-2"], [await TryPopAsync(q), await TryPopAsync(q), await TryPopAsync(q), await TryPopAsync(q)]);
        Assert.Null(await TryPopAsync(q));
    }

    [Fact]
    public async Task Pop_WaitsForAPod()
    {
        var q = NewQueue();
        var pop = q.PopAsync(CancellationToken.None);
        Assert.False(pop.IsCompleted);
        q.AddOrUpdate(Pod("late"));
        Assert.Equal("late", (await pop.WaitAsync(TimeSpan.FromSeconds(5))).Pod.Name);
    }

    [Fact]
    public async Task Backoff_StartsAtOneSecond_DoublesAndCapsAtTen()
    {
        var q = NewQueue();
        q.AddOrUpdate(Pod("p"));
        var expected = new[] { 1, 2, 4, 8, 10, 10 };
        foreach (var seconds in expected)
        {
            var qp = await q.PopAsync(CancellationToken.None);
            Assert.Equal(TimeSpan.FromSeconds(seconds), q.BackoffOf(qp));
            q.AddBackoff(qp);
            _time.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
            Assert.Null(await TryPopAsync(q));
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }
        Assert.Equal("p", await TryPopAsync(q));
    }

    [Fact]
    public async Task Unschedulable_StaysUntilAnEvent_NoTimerMovesIt()
    {
        var q = NewQueue();
        q.AddOrUpdate(Pod("p"));
        var qp = await q.PopAsync(CancellationToken.None);
        q.AddUnschedulable(qp, q.SchedulingCycle);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Null(await TryPopAsync(q));
        Assert.True(q.IsUnschedulable("default/p"));

        Assert.Equal(1, q.MoveAllToActiveOrBackoff("NodeAdd"));
        Assert.Equal("p", await TryPopAsync(q));
    }

    [Fact]
    public async Task Unschedulable_MovedDuringBackoff_WaitsOutTheBackoff()
    {
        var q = NewQueue();
        q.AddOrUpdate(Pod("p"));
        var qp = await q.PopAsync(CancellationToken.None);
        q.AddUnschedulable(qp, q.SchedulingCycle);
        q.MoveAllToActiveOrBackoff("NodeAdd");
        Assert.Null(await TryPopAsync(q));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("p", await TryPopAsync(q));
    }

    [Fact]
    public async Task EventDuringTheCycle_SendsTheFailedPodToBackoff_NotUnschedulable()
    {
        var q = NewQueue();
        q.AddOrUpdate(Pod("p"));
        var qp = await q.PopAsync(CancellationToken.None);
        var cycle = q.SchedulingCycle;
        q.MoveAllToActiveOrBackoff("NodeAdd"); // a node arrived while the cycle ran
        q.AddUnschedulable(qp, cycle);
        Assert.False(q.IsUnschedulable("default/p"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("p", await TryPopAsync(q));
    }

    [Fact]
    public async Task Update_OfAnUnschedulablePod_RequeuesOnlyWhenTheSpecChanged()
    {
        var q = NewQueue();
        q.AddOrUpdate(Pod("p", cpu: "8"));
        var qp = await q.PopAsync(CancellationToken.None);
        q.AddUnschedulable(qp, q.SchedulingCycle);
        _time.Advance(TimeSpan.FromSeconds(1));

        var statusOnly = Pod("p", cpu: "8").Pod with { Status = new Platform.Contracts.Resources.PodStatus { Phase = "Pending" } };
        q.AddOrUpdate(new PodInfo(statusOnly));
        Assert.True(q.IsUnschedulable("default/p"));

        q.AddOrUpdate(Pod("p", cpu: "1"));
        Assert.Equal("p", await TryPopAsync(q));
    }

    [Fact]
    public async Task Delete_RemovesFromEveryQueue()
    {
        var q = NewQueue();
        q.AddOrUpdate(Pod("a"));
        q.AddOrUpdate(Pod("b"));
        q.Delete("default/a");
        Assert.Equal("b", await TryPopAsync(q));
        Assert.Null(await TryPopAsync(q));
    }
}
