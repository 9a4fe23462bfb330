using System.Text.Json;
using Platform.Connect.Api.Connectors;
using Platform.Connect.Distributed;
using Platform.Connect.Plugins;
using Platform.Connect.Storage;

namespace Platform.Connect.Runtime;

internal sealed partial class Herder
{
    private async Task ReconcileAsync(CancellationToken token)
    {
        if (membership.Rebalancing)
        {
            // Eager rebalance: everything stops before the group hands out new slots, so no unit runs twice.
            await StopEverythingAsync();
            return;
        }
        var snap = configs.Snapshot;
        var restarts = PendingRestarts(snap);
        await ReconcileConnectorsAsync(snap, restarts, token);
        await ReconcileTasksAsync(snap, restarts, token);
        foreach (var (name, request) in restarts) _handledRestarts[name] = request.Sequence;
    }

    private Dictionary<string, RestartRequest> PendingRestarts(ConfigSnapshot snap) =>
        snap.Restarts.Where(r => !_handledRestarts.TryGetValue(r.Key, out var seq) || seq < r.Value.Sequence).ToDictionary();

    private bool OwnsConnector(string name) => membership.Owns(UnitSlots.ConnectorSlot(name, membership.Slots));

    private bool OwnsTask(string name, int task) => membership.Owns(UnitSlots.TaskSlot(name, task, membership.Slots));

    private async Task ReconcileConnectorsAsync(ConfigSnapshot snap, Dictionary<string, RestartRequest> restarts, CancellationToken token)
    {
        foreach (var (name, running) in _connectors.ToList())
        {
            var keep = snap.Connectors.TryGetValue(name, out var config) && OwnsConnector(name)
                && running.Fingerprint == Fingerprint(config) && snap.TargetStateOf(name) != TargetState.Stopped
                && !(restarts.TryGetValue(name, out var r) && r.Task is null && (!r.OnlyFailed || running.Failed));
            if (keep) continue;
            StopConnector(running);
            _connectors.Remove(name);
            if (config is null) await statuses.DeleteAsync(name, token);
        }
        foreach (var (name, config) in snap.Connectors.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (!OwnsConnector(name)) continue;
            var target = snap.TargetStateOf(name);
            if (target == TargetState.Stopped)
            {
                // Kafka's STOPPED: the connector is shut down and its tasks are removed (an empty task set is committed).
                if (snap.TasksOf(name).Count > 0) await configs.PutTaskConfigsAsync(name, [], token);
                if (statuses.Get(name)?.State != ConnectorStatus.Stopped)
                    await statuses.PutAsync(name, NewStatus(ConnectorStatus.Stopped), token);
                continue;
            }
            if (!_connectors.TryGetValue(name, out var running))
            {
                LogConnectorStarting(name);
                running = StartConnector(name, config, target == TargetState.Paused, out var failure);
                _connectors[name] = running;
                await statuses.PutAsync(name, failure is not null ? NewStatus(ConnectorStatus.Failed, failure.ToString())
                    : NewStatus(running.Paused ? ConnectorStatus.Paused : ConnectorStatus.Running), token);
            }
            else if (!running.Failed && running.Paused != (target == TargetState.Paused))
            {
                running.Paused = target == TargetState.Paused;
                await statuses.PutAsync(name, NewStatus(running.Paused ? ConnectorStatus.Paused : ConnectorStatus.Running), token);
            }
            if (!running.Failed && !SameTasks(running.TaskConfigs, snap.TasksOf(name)))
                await configs.PutTaskConfigsAsync(name, running.TaskConfigs, token);
        }
    }

    private RunningConnector StartConnector(string name, IReadOnlyDictionary<string, string> config, bool paused, out Exception? failure)
    {
        failure = null;
        try
        {
            var plugin = plugins.Find(config.GetValueOrDefault(ConnectorConfig.ConnectorClass), PluginKind.Source, PluginKind.Sink)
                ?? throw new InvalidOperationException($"Class {config.GetValueOrDefault(ConnectorConfig.ConnectorClass)} could not be found.");
            var instance = plugins.Create<IConnector>(plugin);
            instance.Start(config);
            var max = int.Parse(config.GetValueOrDefault(ConnectorConfig.TasksMax, "1"), System.Globalization.CultureInfo.InvariantCulture);
            var tasks = instance.TaskConfigs(max).Take(max)
                .Select(t => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(t) { ["task.class"] = instance.TaskType.FullName! })
                .ToList();
            return new RunningConnector(instance, Fingerprint(config), paused) { TaskConfigs = tasks };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            failure = ex;
            LogConnectorFailed(name, ex);
            return new RunningConnector(null, Fingerprint(config), paused);
        }
    }

    private async Task ReconcileTasksAsync(ConfigSnapshot snap, Dictionary<string, RestartRequest> restarts, CancellationToken token)
    {
        var desired = new Dictionary<TaskId, string>();
        foreach (var (name, config) in snap.Connectors)
        {
            if (snap.TargetStateOf(name) == TargetState.Stopped) continue;
            var tasks = snap.TasksOf(name);
            for (var i = 0; i < tasks.Count; i++)
                if (OwnsTask(name, i)) desired[new TaskId(name, i)] = Fingerprint(config) + Fingerprint(tasks[i]);
        }
        var stopping = new List<TaskRunner>();
        foreach (var (id, runner) in _tasks.ToList())
        {
            var restart = restarts.TryGetValue(id.Connector, out var r)
                && (r.Task == id.Task || (r.Task is null && r.IncludeTasks)) && (!r.OnlyFailed || runner.Failed);
            if (desired.TryGetValue(id, out var fp) && fp == runner.Fingerprint && !restart) continue;
            stopping.Add(runner);
            _tasks.Remove(id);
        }
        await Task.WhenAll(stopping.Select(t => t.StopAsync()));
        foreach (var (id, fp) in desired)
        {
            var paused = snap.TargetStateOf(id.Connector) == TargetState.Paused;
            if (_tasks.TryGetValue(id, out var running))
            {
                await running.SetPausedAsync(paused);
                continue;
            }
            var runner = CreateTask(id, snap.Connectors[id.Connector], snap.TasksOf(id.Connector)[id.Task], fp);
            if (runner is null) continue;
            _tasks[id] = runner;
            LogTaskStarting(id.ToString());
            runner.Start(paused);
        }
    }

    private TaskRunner? CreateTask(TaskId id, IReadOnlyDictionary<string, string> connectorConfig, IReadOnlyDictionary<string, string> taskConfig, string fingerprint)
    {
        var plugin = plugins.Find(connectorConfig.GetValueOrDefault(ConnectorConfig.ConnectorClass), PluginKind.Source, PluginKind.Sink);
        if (plugin is null) return null;
        var taskType = plugins.Create<IConnector>(plugin).TaskType;
        var context = new TaskContext(id, connectorConfig, taskConfig, plugin, plugins, offsets, kafka.Value,
            TimeSpan.FromMilliseconds(_o.OffsetFlushIntervalMs), _o.SessionTimeoutMs,
            (state, trace) => statuses.PutTaskAsync(id.Connector, id.Task, NewStatus(state, trace), CancellationToken.None),
            logger);
        var instance = Activator.CreateInstance(taskType);
        return plugin.Kind == PluginKind.Source
            ? new WorkerSourceTask(context, (ISourceTask)instance!) { Fingerprint = fingerprint }
            : new WorkerSinkTask(context, (ISinkTask)instance!) { Fingerprint = fingerprint };
    }

    private ConnectorStatus NewStatus(string state, string? trace = null) => new(state, trace, WorkerId, membership.Generation);

    private static string Fingerprint(IReadOnlyDictionary<string, string> config) =>
        JsonSerializer.Serialize(config.OrderBy(p => p.Key, StringComparer.Ordinal).ToList());

    private static bool SameTasks(IReadOnlyList<IReadOnlyDictionary<string, string>> a, IReadOnlyList<IReadOnlyDictionary<string, string>> b) =>
        a.Count == b.Count && a.Zip(b).All(p => Fingerprint(p.First) == Fingerprint(p.Second));

    [LoggerMessage(EventId = 3106, Level = LogLevel.Information, Message = "starting connector {Connector}")]
    private partial void LogConnectorStarting(string connector);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Information, Message = "starting task {Task}")]
    private partial void LogTaskStarting(string task);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Error, Message = "connector {Connector} failed to start")]
    private partial void LogConnectorFailed(string connector, Exception ex);
}
