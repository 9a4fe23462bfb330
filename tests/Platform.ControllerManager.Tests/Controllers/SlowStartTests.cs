using System.Collections.Concurrent;
using Platform.ControllerManager.Controllers;
using Platform.ControllerManager.Controllers.ReplicaSet;

namespace Platform.ControllerManager.Tests.Controllers;

/// <summary>Slow-start batches and the expectations they leave, without a cluster.</summary>
public sealed class SlowStartTests
{
    [Fact]
    public async Task AllSucceed_InBatchesOfOneTwoFour()
    {
        var sent = new ConcurrentBag<int>();
        var run = await SlowStart.RunAsync(5, i =>
        {
            sent.Add(i);
            return Task.FromResult(true);
        });

        Assert.Equal(new SlowStartResult(5, 5, 5), run);
        Assert.Equal(0, run.NotAttempted);
        Assert.Equal([0, 1, 2, 3, 4], sent.Order());
    }

    [Fact]
    public async Task AFailedBatch_StopsTheRun_AndOnlyTheUnsentAreNotAttempted()
    {
        var sent = new ConcurrentBag<int>();
        var run = await SlowStart.RunAsync(10, i =>
        {
            sent.Add(i);
            return Task.FromResult(i != 1);
        });

        // Batch [0] succeeds, batch [1, 2] has a failure: 3 sent, 2 created, 7 never sent.
        Assert.Equal(new SlowStartResult(10, 3, 2), run);
        Assert.Equal(7, run.NotAttempted);
        Assert.Equal([0, 1, 2], sent.Order());
    }

    [Fact]
    public async Task AFailedCreation_IsLoweredOnce_SoTheSuccessfulOnesAreStillAwaited()
    {
        // As the controllers do it: expect every creation, a failed create lowers its own, the unsent are lowered after.
        var expectations = new Expectations(TimeProvider.System, TimeSpan.FromMinutes(1));
        expectations.ExpectCreations("ns/web", 5);
        var run = await SlowStart.RunAsync(5, i =>
        {
            if (i != 1) return Task.FromResult(true);
            expectations.CreationFailed("ns/web");
            return Task.FromResult(false);
        });
        expectations.CreationsNotAttempted("ns/web", run.NotAttempted);

        // Pods 0 and 2 were created and have not reached the cache yet: a pass now would count them missing.
        Assert.False(expectations.Satisfied("ns/web"));
        expectations.CreationObserved("ns/web");
        Assert.False(expectations.Satisfied("ns/web"));
        expectations.CreationObserved("ns/web");
        Assert.True(expectations.Satisfied("ns/web"));
    }
}
