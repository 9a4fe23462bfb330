namespace Platform.Discovery.Configuration;

/// <summary>Registry server settings, bound from <c>Eureka:Server</c>.</summary>
internal sealed class EurekaServerOptions
{
    public const string Section = "Eureka:Server";

    /// <summary>Stop evicting when fewer renewals arrive than expected (a network partition, not dead instances).</summary>
    public bool EnableSelfPreservation { get; set; } = true;
    /// <summary>Fraction of expected renewals per minute below which self-preservation engages (Eureka: 0.85).</summary>
    public double RenewalPercentThreshold { get; set; } = 0.85;
    /// <summary>Renewal interval the threshold assumes for every client (Eureka: 30 s).</summary>
    public int ExpectedClientRenewalIntervalSeconds { get; set; } = 30;
    /// <summary>
    /// Self-preservation engages only when at least this many instances are expected to renew: with one or two
    /// instances a missing heartbeat says the instance died, not that the network split.
    /// </summary>
    public int SelfPreservationMinInstances { get; set; } = 3;
    /// <summary>How often the expected-renewals baseline is recomputed from the registry size (Eureka: 15 min).</summary>
    public int RenewalThresholdUpdateIntervalSeconds { get; set; } = 900;
    /// <summary>How often expired leases are evicted. Eureka's 60 s default is why dead instances linger.</summary>
    public double EvictionIntervalSeconds { get; set; } = 5;
    /// <summary>How long a change stays in the delta queue (Eureka: 3 min).</summary>
    public int DeltaRetentionSeconds { get; set; } = 180;
    /// <summary>Basic-auth user required on register, heartbeat, status and cancel when set (with <see cref="Password"/>).</summary>
    public string? Username { get; set; }
    public string? Password { get; set; }
    /// <summary>Largest accepted register or metadata body.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;
    /// <summary>Largest accepted peer replication batch body.</summary>
    public int MaxBatchBodyBytes { get; set; } = 8 * 1024 * 1024;
    /// <summary>Deepest element or JSON nesting accepted in any request body (Eureka documents need under ten).</summary>
    public int MaxBodyDepth { get; set; } = 64;
    /// <summary>How long a starting server tries to copy the registry from its peers.</summary>
    public double PeerSyncTimeoutSeconds { get; set; } = 10;
    /// <summary>Most replication tasks sent to a peer in one batch.</summary>
    public int ReplicationBatchSize { get; set; } = 250;

    /// <summary>How often full-registry documents are re-rendered in the background after changes; 0 turns it off.</summary>
    public double ResponseCacheWarmIntervalSeconds { get; set; } = 1;
    /// <summary>Kafka topic of registry events (tests use their own).</summary>
    public string EventsTopic { get; set; } = Platform.Contracts.Events.Topics.Registry;

    /// <summary>
    /// <c>Eureka:Server:RestoreTimeout</c>: at start, how long reading <see cref="EventsTopic"/> back into the registry
    /// may take before the server listens anyway (Eureka's peer sync, from the topic); 0 turns it off.
    /// </summary>
    public TimeSpan RestoreTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool AuthEnabled => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);
}
