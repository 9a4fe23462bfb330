using Platform.NodeAgent.Runtime;

namespace Platform.NodeAgent.Tests.Runtime;

/// <summary>The node's bound on container starts: its slots, the oldest pod first, and waiters that give up.</summary>
public sealed class ContainerStartGateTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task SlotsAreBounded_AndAFreedSlotGoesToTheLowestTicketWaiting_NotTheFirstToAsk()
    {
        var gate = new ContainerStartGate(2);
        var (old, older, oldest) = (gate.NextTicket(), gate.NextTicket(), gate.NextTicket());
        var first = await gate.EnterAsync(10, CancellationToken.None);
        var second = await gate.EnterAsync(11, CancellationToken.None);
        Assert.Equal(2, gate.Busy);

        // Three pods wait, asking youngest first: the slots are handed out oldest first.
        var order = new List<long>();
        var waiters = new[] { oldest, older, old }.Select(async t =>
        {
            using var lease = await gate.EnterAsync(t, CancellationToken.None);
            lock (order) order.Add(t);
        }).ToList();
        await Task.Delay(50);
        Assert.Empty(order);

        // One slot frees: the waiters pass through it one after another (each frees it for the next), oldest first.
        first.Dispose();
        first.Dispose(); // a lease frees its slot once
        await Task.WhenAll(waiters).WaitAsync(Wait);
        Assert.Equal([old, older, oldest], order);
        Assert.Equal(1, gate.Busy);
        second.Dispose();
        Assert.Equal(0, gate.Busy);
    }

    [Fact]
    public async Task AWaiterThatGivesUp_IsSkipped_AndItsSlotIsNotLost()
    {
        var gate = new ContainerStartGate(1);
        var held = await gate.EnterAsync(1, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var leaving = gate.EnterAsync(2, cancel.Token).AsTask();
        var staying = gate.EnterAsync(3, CancellationToken.None).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving.WaitAsync(Wait));

        held.Dispose();
        (await staying.WaitAsync(Wait)).Dispose();
        Assert.Equal(0, gate.Busy);
        (await gate.EnterAsync(4, CancellationToken.None).AsTask().WaitAsync(Wait)).Dispose();
    }

    [Fact]
    public async Task NoSlots_MeansNoBound()
    {
        var gate = new ContainerStartGate(0);
        var leases = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => gate.EnterAsync(i, CancellationToken.None).AsTask())).WaitAsync(Wait);
        Assert.Equal(0, gate.Busy);
        foreach (var lease in leases) lease.Dispose();
    }
}
