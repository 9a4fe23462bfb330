using Platform.Scheduler.Leader;
using Platform.Scheduler.Plugins.NodeResourcesFit;
using Platform.Scheduler.Queue;

namespace Platform.Scheduler;

/// <summary>Settings bound from <c>Scheduler</c>; validated at start by <see cref="SchedulerOptionsValidator"/>.</summary>
public sealed class SchedulerOptions
{
    public const string Section = "Scheduler";
    public const string DefaultSchedulerName = "default-scheduler";

    /// <summary><c>Scheduler:ApiServerUrl</c> (default env <c>PLATFORM_APISERVER_URL</c>, then <c>http://127.0.0.1:7070</c>).</summary>
    public string ApiServerUrl { get; set; } = "";
    /// <summary><c>Scheduler:ApiServerCaFile</c>: the PEM CA the apiserver's HTTPS certificate is checked against (default env <c>PLATFORM_CA_FILE</c>; none: the system's roots).</summary>
    public string? ApiServerCaFile { get; set; }
    /// <summary><c>Scheduler:Token</c>: a bearer token with the scheduler role (default env <c>PLATFORM_SCHEDULER_TOKEN</c>, then <c>PLATFORM_ADMIN_TOKEN</c>).</summary>
    public string Token { get; set; } = "";
    /// <summary><c>Scheduler:SchedulerName</c>: pods whose <c>spec.schedulerName</c> is this (or empty, for the default name) are ours.</summary>
    public string SchedulerName { get; set; } = DefaultSchedulerName;
    /// <summary><c>Scheduler:TopicPrefix</c>: pods and nodes are read from <c>{prefix}pods</c> and <c>{prefix}nodes</c>.</summary>
    public string TopicPrefix { get; set; } = Platform.Contracts.Events.Topics.Prefix;
    /// <summary><c>Scheduler:ConsumerGroup</c>: every scheduler process needs every event, so the default is unique per process.</summary>
    public string ConsumerGroup { get; set; } = "";
    /// <summary><c>Scheduler:BindConcurrency</c>: bindings in flight at once (pods between their PreBind and their binding's answer).</summary>
    public int BindConcurrency { get; set; } = 64;
    /// <summary><c>Scheduler:BindBatchSize</c>: bindings sent together in one batch request to the apiserver; 1 sends each as its own <c>pods/binding</c>.</summary>
    public int BindBatchSize { get; set; } = 100;
    /// <summary><c>Scheduler:EventConcurrency</c>: Event and status writes in flight at once.</summary>
    public int EventConcurrency { get; set; } = 4;
    /// <summary><c>Scheduler:EventQueueCapacity</c>: explanations waiting to be written before the oldest are dropped.</summary>
    public int EventQueueCapacity { get; set; } = 10_000;

    public ProfileOptions Profile { get; set; } = new();
    public QueueOptions Queue { get; set; } = new();
    public NodeResourcesFitArgs NodeResourcesFit { get; set; } = new();
    public LeaderElectionOptions LeaderElection { get; set; } = new();
}
