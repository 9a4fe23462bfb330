namespace Platform.ControllerManager.Leader;

/// <summary>
/// <c>ControllerManager:LeaderElection</c>: one active controller-manager per cluster, elected on a Lease with
/// client-go's leader-election semantics and defaults (15 s lease, 10 s renew deadline, 2 s retry period).
/// </summary>
public sealed class LeaderElectionOptions
{
    /// <summary><c>ControllerManager:LeaderElection:Enabled</c>: off, this process runs its controllers right away (a single instance).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>ControllerManager:LeaderElection:LeaseName</c>: the Lease every controller-manager of the cluster competes for.</summary>
    public string LeaseName { get; set; } = "platform-controller-manager";

    /// <summary><c>ControllerManager:LeaderElection:LeaseNamespace</c>: a controller token may write Leases only in <c>kube-system</c>.</summary>
    public string LeaseNamespace { get; set; } = Platform.Contracts.Resources.SystemNamespaces.KubeSystem;

    /// <summary><c>ControllerManager:LeaderElection:LeaseDuration</c>: how long a standby waits after the last renewal it saw before it takes over (whole seconds).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary><c>ControllerManager:LeaderElection:RenewDeadline</c>: the leader steps down when it could not renew for this long.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>ControllerManager:LeaderElection:RetryPeriod</c>: how often the leader renews and a standby tries to acquire.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary><c>ControllerManager:LeaderElection:Identity</c>: this process's holderIdentity (default: host name, '_', a random id).</summary>
    public string Identity { get; set; } = "";
}
