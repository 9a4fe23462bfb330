using Microsoft.Extensions.Time.Testing;
using Platform.ApiServer.Client;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Leader;

namespace Platform.ControllerManager.Tests.Leader;

public sealed class LeaseLockTests
{
    private static readonly LeaderElectionOptions Options = new()
    {
        LeaseName = "cm", LeaseNamespace = "kube-system", Identity = "standby",
        LeaseDuration = TimeSpan.FromSeconds(4), RenewDeadline = TimeSpan.FromSeconds(3), RetryPeriod = TimeSpan.FromMilliseconds(500),
    };

    [Fact]
    public async Task Standby_CountsTheLeaseDurationFromWhenTheRecordArrived_NotFromWhenItAskedForIt()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var held = new Lease
        {
            ApiVersion = "coordination.k8s.io/v1", Kind = "Lease",
            Metadata = new ObjectMeta { Name = "cm", Namespace = "kube-system", ResourceVersion = "7" },
            Spec = new LeaseSpec { HolderIdentity = "leader", LeaseDurationSeconds = 4, AcquireTime = time.GetUtcNow(), RenewTime = time.GetUtcNow(), LeaseTransitions = 0 },
        };
        var api = new SlowLeaseApi(time, held) { GetLatency = TimeSpan.FromSeconds(3) };
        using var http = new HttpClient(api) { BaseAddress = new Uri("http://apiserver.test") };
        var standby = new LeaseLock(new ApiClient(http), Options, time);

        // The first read is slow: the leader's renewal it returns is seen 3 s after the request went out.
        Assert.False(await standby.TryAcquireOrRenewAsync(CancellationToken.None));
        api.GetLatency = TimeSpan.Zero;

        // 4.5 s after asking but only 1.5 s after seeing the renewal: the leader may still be acting on its lease.
        time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.False(await standby.TryAcquireOrRenewAsync(CancellationToken.None));
        Assert.Equal(0, api.Writes);

        // A whole lease duration after the renewal was seen without a newer one, the lease is up for taking.
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.True(await standby.TryAcquireOrRenewAsync(CancellationToken.None));
        Assert.Equal(1, api.Writes);
    }
}
