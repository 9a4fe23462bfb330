namespace Platform.ApiServer.Client.Events;

/// <summary>Who records and how much it buffers.</summary>
public sealed class EventRecorderOptions
{
    /// <summary><c>source.component</c> of every Event (<c>controller-manager</c>, <c>default-scheduler</c>, <c>node-agent</c>).</summary>
    public string Component { get; set; } = "";

    /// <summary><c>source.host</c> (a node agent's node name).</summary>
    public string? Host { get; set; }

    /// <summary>Events waiting to be written; past it the oldest are dropped and counted, so recording never slows the caller.</summary>
    public int QueueCapacity { get; set; } = 4096;

    /// <summary>Writers; one object's events always go through the same one, in order.</summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>How many distinct events are remembered for aggregation.</summary>
    public int AggregationCacheSize { get; set; } = 4096;
}
