using Microsoft.Extensions.Time.Testing;
using Platform.ApiServer.Client.Queue;

namespace Platform.ApiServer.Client.Tests;

public sealed class WorkQueueTests
{
    private static async Task<string?> NextAsync(WorkQueue q, int ms = 200)
    {
        using var cts = new CancellationTokenSource(ms);
        try
        {
            return await q.GetAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [Fact]
    public async Task Add_SameKeyTwice_IsHandedOutOnce()
    {
        using var q = new WorkQueue(new FakeTimeProvider(), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        q.Add("ns/a");
        q.Add("ns/a");
        q.Add("ns/b");
        Assert.Equal("ns/a", await NextAsync(q));
        Assert.Equal("ns/b", await NextAsync(q));
        Assert.Null(await NextAsync(q));
    }

    [Fact]
    public async Task KeyAddedWhileProcessing_IsQueuedAgainOnlyAfterDone()
    {
        using var q = new WorkQueue(new FakeTimeProvider(), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        q.Add("k");
        Assert.Equal("k", await NextAsync(q));
        q.Add("k");
        Assert.Null(await NextAsync(q)); // never two workers on one key
        q.Done("k");
        Assert.Equal("k", await NextAsync(q));
    }

    [Fact]
    public async Task AddRateLimited_WaitsPerKeyBackOffThatDoubles_AndForgetResetsIt()
    {
        var time = new FakeTimeProvider();
        using var q = new WorkQueue(time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        q.AddRateLimited("k");
        Assert.Null(await NextAsync(q, 100));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("k", await NextAsync(q));
        q.Done("k");

        q.AddRateLimited("k"); // second failure: 2 s
        time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Null(await NextAsync(q, 100));
        time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal("k", await NextAsync(q));
        q.Done("k");
        Assert.Equal(2, q.Failures("k"));

        q.Forget("k");
        q.AddRateLimited("k");
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("k", await NextAsync(q));
    }
}
