namespace Platform.Scheduler.Leader;

/// <summary><c>Scheduler:LeaderElection</c>: one active scheduler per database, the lease being a Postgres advisory lock.</summary>
public sealed class LeaderElectionOptions
{
    /// <summary>Off: this process schedules right away (a single scheduler, or tests).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Npgsql connection string (default <c>ConnectionStrings:Platform</c>, then env <c>PLATFORM_DATABASE_URL</c>).</summary>
    public string? ConnectionString { get; set; }
    /// <summary>The advisory lock key all schedulers of a cluster share.</summary>
    public long LockKey { get; set; } = 7072001;
    /// <summary>How often a standby tries to take the lease, and how often the leader checks it still holds it.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(1);
}
