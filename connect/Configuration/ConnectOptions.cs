namespace Platform.Connect.Configuration;

/// <summary>Worker settings, bound from the <c>Connect</c> configuration section.</summary>
internal sealed class ConnectOptions
{
    public const string Section = "Connect";

    /// <summary>
    /// <c>Connect:Mode</c>: <c>distributed</c> (default; configs, offsets and status in Kafka topics, work shared by
    /// every worker of <see cref="GroupId"/>) or <c>standalone</c> (configs and status in memory, offsets in
    /// <see cref="OffsetsFile"/>).
    /// </summary>
    public WorkerMode Mode { get; set; } = WorkerMode.Distributed;
    /// <summary><c>Connect:GroupId</c>: the workers' group (Kafka Connect's <c>group.id</c>).</summary>
    public string GroupId { get; set; } = "connect-cluster";
    /// <summary><c>Connect:ConfigStorageTopic</c>: connector and task configurations and target states (one partition).</summary>
    public string ConfigStorageTopic { get; set; } = "connect-configs";
    /// <summary><c>Connect:OffsetStorageTopic</c>: source offsets, keyed <c>["connector",{partition}]</c>.</summary>
    public string OffsetStorageTopic { get; set; } = "connect-offsets";
    /// <summary><c>Connect:StatusStorageTopic</c>: connector and task states.</summary>
    public string StatusStorageTopic { get; set; } = "connect-status";
    /// <summary><c>Connect:OffsetStoragePartitions</c>: partitions of the offsets topic when the worker creates it (Kafka: 25).</summary>
    public int OffsetStoragePartitions { get; set; } = 25;
    /// <summary><c>Connect:StatusStoragePartitions</c>: partitions of the status topic when the worker creates it (Kafka: 5).</summary>
    public int StatusStoragePartitions { get; set; } = 5;
    /// <summary><c>Connect:ReplicationFactor</c>: replication factor of the three topics when the worker creates them.</summary>
    public short ReplicationFactor { get; set; } = 1;
    /// <summary><c>Connect:OffsetsFile</c>: standalone mode's offsets file (Kafka's <c>offset.storage.file.filename</c>).</summary>
    public string OffsetsFile { get; set; } = "connect.offsets";
    /// <summary><c>Connect:OffsetFlushIntervalMs</c>: how often source offsets are committed (Kafka: <c>offset.flush.interval.ms</c>).</summary>
    public int OffsetFlushIntervalMs { get; set; } = 5_000;
    /// <summary><c>Connect:PluginPath</c>: folder whose assemblies (<c>*.dll</c>, one level of subfolders) add connectors, transforms and converters.</summary>
    public string? PluginPath { get; set; }
    /// <summary><c>Connect:AdvertisedUrl</c>: this worker's REST URL, reported as <c>worker_id</c> (host:port) in statuses.</summary>
    public string? AdvertisedUrl { get; set; }
    /// <summary><c>Connect:SessionTimeoutMs</c>: how long the group waits for a silent worker before moving its work.</summary>
    public int SessionTimeoutMs { get; set; } = 10_000;
    /// <summary><c>Connect:CoordinationPartitions</c>: partitions of the coordination topic (<c>&lt;GroupId&gt;-assignments</c>); the most workers that get work.</summary>
    public int CoordinationPartitions { get; set; } = 12;
    /// <summary><c>Connect:Username</c>: HTTP Basic user required on the REST API (with <see cref="Password"/>); <c>GET /</c> stays open.</summary>
    public string? Username { get; set; }
    /// <summary><c>Connect:Password</c>.</summary>
    public string? Password { get; set; }
    /// <summary><c>Connect:MaxBodyBytes</c>: largest accepted request body.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;
    /// <summary><c>Connect:MaxBodyDepth</c>: deepest JSON nesting accepted in a request body.</summary>
    public int MaxBodyDepth { get; set; } = 16;

    public bool AuthEnabled => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);
}

/// <summary>How the worker keeps its state: Kafka Connect's two modes.</summary>
internal enum WorkerMode
{
    Distributed,
    Standalone,
}
