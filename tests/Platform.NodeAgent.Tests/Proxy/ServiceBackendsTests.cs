using System.Net;
using Microsoft.Extensions.Time.Testing;
using Platform.NodeAgent.Proxy;

namespace Platform.NodeAgent.Tests.Proxy;

/// <summary>The proxy's choice of backend: round robin, ClientIP pins with their timeout, connections of a backend that leaves.</summary>
public sealed class ServiceBackendsTests
{
    private static readonly IPEndPoint A = IPEndPoint.Parse("10.1.0.2:80"), B = IPEndPoint.Parse("10.1.0.3:80"), C = IPEndPoint.Parse("10.1.0.4:80");
    private static readonly IPAddress Client1 = IPAddress.Parse("10.1.0.9"), Client2 = IPAddress.Parse("10.1.0.10");

    [Fact]
    public void NoBackend_PicksNothing_AndRoundRobinVisitsEachInTurn()
    {
        var backends = new ServiceBackends("ns/svc:", new FakeTimeProvider());
        Assert.Null(backends.Pick(Client1));
        backends.Update([A, B, C], affinity: null);
        var picks = Enumerable.Range(0, 6).Select(_ => backends.Pick(Client1)).ToList();
        Assert.Equal([A, B, C, A, B, C], picks);
    }

    [Fact]
    public void ClientIpAffinity_PinsUntilTheTimeoutPassesUnused_AndMovesWhenThePinnedBackendLeaves()
    {
        var time = new FakeTimeProvider();
        var backends = new ServiceBackends("ns/svc:", time);
        backends.Update([A, B], TimeSpan.FromSeconds(10));
        var pinned = backends.Pick(Client1)!;
        var other = backends.Pick(Client2)!;
        Assert.NotEqual(pinned, other);
        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(9)); // each use renews the pin
            Assert.Equal(pinned, backends.Pick(Client1));
        }
        time.Advance(TimeSpan.FromSeconds(11));
        backends.Pick(Client2); // the round robin moves on: Client1's next pick is a fresh choice
        var afterExpiry = Enumerable.Range(0, 4).Select(_ => { time.Advance(TimeSpan.FromSeconds(11)); return backends.Pick(Client1); }).ToHashSet();
        Assert.Equal(2, afterExpiry.Count);

        backends.Update([A, B], TimeSpan.FromSeconds(10));
        var now = backends.Pick(Client1)!;
        backends.Update([now == A ? B : A], TimeSpan.FromSeconds(10));
        Assert.NotEqual(now, backends.Pick(Client1));
    }

    [Fact]
    public void ABackendThatLeaves_HasItsConnectionsClosed_OthersStay()
    {
        var backends = new ServiceBackends("ns/svc:", new FakeTimeProvider());
        backends.Update([A, B], affinity: null);
        using var toA = new CancellationTokenSource();
        using var toB = new CancellationTokenSource();
        using (backends.Track(A, toA))
        using (backends.Track(B, toB))
        {
            Assert.Equal(1, backends.LiveConnections(A));
            backends.Update([B], affinity: null);
            Assert.True(toA.IsCancellationRequested);
            Assert.False(toB.IsCancellationRequested);
            Assert.Equal(0, backends.LiveConnections(A));

            // A connection that finished connecting to a backend removed meanwhile is closed at once.
            using var late = new CancellationTokenSource();
            using (backends.Track(A, late)) Assert.True(late.IsCancellationRequested);

            backends.CloseAll();
            Assert.True(toB.IsCancellationRequested);
        }
        Assert.Equal(0, backends.LiveConnections(B));
    }
}
