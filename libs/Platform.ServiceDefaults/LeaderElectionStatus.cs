using Prometheus;

namespace Platform.ServiceDefaults;

/// <summary>
/// client-go's <c>leader_election_master_status{name}</c> on <c>/metrics</c>: 1 while this process leads the named
/// election, 0 while it stands by. Operators (and the HA fault campaign) find the leading replica by it.
/// </summary>
public static class LeaderElectionStatus
{
    private static readonly Gauge Status = Metrics.CreateGauge("leader_election_master_status",
        "Whether this process leads the election (1) or stands by (0).", "name");

    public static void Set(string name, bool leading) => Status.WithLabels(name).Set(leading ? 1 : 0);
}
