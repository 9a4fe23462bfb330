using Confluent.Kafka;
using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Platform.Connect.Configuration;
using Platform.Connect.Distributed;
using Platform.Connect.Plugins;
using Platform.Connect.Storage;
using Platform.EventBus.Kafka;

namespace Platform.Connect.Runtime;

/// <summary>
/// The worker's control loop (Kafka Connect's herder). REST calls only write to the stores; this loop alone starts
/// and stops connectors and tasks, reconciling what runs here with the config snapshot and the slots this worker owns,
/// whenever either changes (and every few seconds, to retry what failed to write).
/// </summary>
internal sealed partial class Herder(
    IConfigStore configs,
    StatusStore statuses,
    OffsetStore offsets,
    IMembership membership,
    PluginRegistry plugins,
    ConfigValidator validator,
    IOptions<ConnectOptions> options,
    IOptions<KafkaOptions> kafka,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<Herder> logger) : BackgroundService
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, RunningConnector> _connectors = [];
    private readonly Dictionary<TaskId, TaskRunner> _tasks = [];
    private readonly Dictionary<string, long> _handledRestarts = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConnectOptions _o = options.Value;

    /// <summary>This worker's <c>host:port</c>, written as <c>worker_id</c>.</summary>
    public string WorkerId { get; private set; } = "";
    public bool Ready => _ready.Task.IsCompleted;

    /// <summary>The Kafka cluster id reported by <c>GET /</c>.</summary>
    public string? KafkaClusterId { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WaitForServerAsync(stoppingToken);
        WorkerId = ResolveWorkerId();
        KafkaClusterId = await ReadClusterIdAsync(stoppingToken);
        LogStarting("offsets");
        await offsets.StartAsync(stoppingToken);
        LogStarting("statuses");
        await statuses.StartAsync(stoppingToken);
        LogStarting("configs");
        await configs.StartAsync(stoppingToken);
        LogStarting("group membership");
        configs.Changed += Wake;
        membership.Changed += Wake;
        await membership.StartAsync(stoppingToken);
        // Restart requests already in the topic were for workers before this one.
        foreach (var (name, request) in configs.Snapshot.Restarts) _handledRestarts[name] = request.Sequence;
        _ready.TrySetResult();
        LogStarted(WorkerId, _o.Mode.ToString().ToLowerInvariant());
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ReconcileAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A store write that failed (broker away) is retried on the next pass; the state it was to record is recomputed.
                    LogReconcileFailed(ex);
                }
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                try
                {
                    await _wake.Reader.ReadAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            configs.Changed -= Wake;
            membership.Changed -= Wake;
            var ran = _connectors.Keys.ToList();
            var ranTasks = _tasks.Keys.ToList();
            await StopEverythingAsync();
            // Still a member, so no other worker has these units yet: their UNASSIGNED cannot hide a new owner's RUNNING.
            await MarkUnassignedAsync(ran, ranTasks);
            await membership.StopAsync();
            await configs.StopAsync();
            await statuses.StopAsync();
            await offsets.StopAsync();
        }
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private async Task WaitForServerAsync(CancellationToken token)
    {
        if (lifetime.ApplicationStarted.IsCancellationRequested) return;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var reg = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(token);
    }

    private string ResolveWorkerId()
    {
        var url = _o.AdvertisedUrl ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:8083";
        var uri = new Uri(url.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://[::]", "://localhost"));
        return $"{uri.Host}:{uri.Port}";
    }

    private async Task<string?> ReadClusterIdAsync(CancellationToken token)
    {
        using var admin = new Confluent.Kafka.AdminClientBuilder(kafka.Value.ApplyTo(new Confluent.Kafka.AdminClientConfig()))
            .SetLogHandler((_, _) => { }).Build();
        try
        {
            return (await admin.DescribeClusterAsync(new Confluent.Kafka.Admin.DescribeClusterOptions { RequestTimeout = TimeSpan.FromSeconds(5) }).WaitAsync(TimeSpan.FromSeconds(5), token)).ClusterId;
        }
        catch (Exception ex) when (ex is Confluent.Kafka.KafkaException or TimeoutException)
        {
            return null;
        }
    }

    private async Task StopEverythingAsync()
    {
        await Task.WhenAll(_tasks.Values.Select(t => t.StopAsync()));
        _tasks.Clear();
        foreach (var c in _connectors.Values) StopConnector(c);
        _connectors.Clear();
    }

    private async Task MarkUnassignedAsync(IReadOnlyList<string> connectors, IReadOnlyList<TaskId> tasks)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            foreach (var name in connectors)
                if (configs.Snapshot.Contains(name)) await statuses.PutAsync(name, NewStatus(ConnectorStatus.Unassigned), timeout.Token);
            foreach (var id in tasks)
                if (configs.Snapshot.Contains(id.Connector)) await statuses.PutTaskAsync(id.Connector, id.Task, NewStatus(ConnectorStatus.Unassigned), timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or Confluent.Kafka.KafkaException or TimeoutException)
        {
            // The next owner writes its own states; a stale RUNNING until then is what a crash would leave too.
            LogReconcileFailed(ex);
        }
    }

    private void StopConnector(RunningConnector c)
    {
        try
        {
            c.Instance?.Stop();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogConnectorStopFailed(ex);
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Kafka Connect worker {WorkerId} started in {Mode} mode")]
    private partial void LogStarted(string workerId, string mode);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Debug, Message = "reading the {Store} store")]
    private partial void LogStarting(string store);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "reconciling connectors failed; retrying")]
    private partial void LogReconcileFailed(Exception ex);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "a connector threw while stopping")]
    private partial void LogConnectorStopFailed(Exception ex);
}
