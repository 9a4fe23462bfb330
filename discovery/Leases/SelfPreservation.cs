using Microsoft.Extensions.Options;
using Platform.Discovery.Configuration;

namespace Platform.Discovery.Leases;

/// <summary>
/// Eureka's self-preservation: when fewer renewals arrive per minute than <c>RenewalPercentThreshold</c> of
/// those expected, the registry assumes a network problem and stops evicting. The state is exposed on the
/// dashboard and at <c>/eureka/status</c> so nobody has to guess why dead instances stay.
/// </summary>
internal sealed class SelfPreservation(IOptions<EurekaServerOptions> options, RenewalRate renewals)
{
    private readonly EurekaServerOptions _o = options.Value;
    private int _expectedClients;

    public int ExpectedClients => Volatile.Read(ref _expectedClients);

    /// <summary>Renewals per minute below which eviction stops.</summary>
    public int RenewsPerMinThreshold =>
        (int)(ExpectedClients * (60.0 / _o.ExpectedClientRenewalIntervalSeconds) * _o.RenewalPercentThreshold);

    public long RenewsLastMinute => renewals.LastMinute();

    public bool Enabled => _o.EnableSelfPreservation;

    /// <summary>True when eviction is suspended because too few renewals arrived.</summary>
    public bool IsActive
    {
        get
        {
            if (!_o.EnableSelfPreservation || ExpectedClients < Math.Max(1, _o.SelfPreservationMinInstances)) return false;
            return RenewsLastMinute <= RenewsPerMinThreshold;
        }
    }

    public void ClientRegistered() => Interlocked.Increment(ref _expectedClients);

    /// <summary>A cancel lowers the expectation; an eviction does not (it may be the partition we protect against).</summary>
    public void ClientCancelled()
    {
        int current;
        do
        {
            current = Volatile.Read(ref _expectedClients);
            if (current == 0) return;
        } while (Interlocked.CompareExchange(ref _expectedClients, current - 1, current) != current);
    }

    /// <summary>Periodic reset of the baseline to the registry size, so evictions eventually stop counting.</summary>
    public void Reset(int registeredInstances) => Volatile.Write(ref _expectedClients, registeredInstances);
}
