using Platform.Connect.Plugins;
using Platform.Connect.Storage;

namespace Platform.Connect.Runtime;

using Props = IReadOnlyDictionary<string, string>;

/// <summary>What the REST API asks of the herder: reads answer from the snapshot and status store, writes go to the stores.</summary>
internal sealed partial class Herder
{
    /// <summary>Throws the 409 Kafka Connect gives while the worker has no current assignment.</summary>
    public void EnsureStable()
    {
        if (!Stable) throw ConnectRestException.Rebalancing();
    }

    /// <summary>Started, and holding a current assignment from the group.</summary>
    public bool Stable => Ready && !membership.Rebalancing;

    public ConfigSnapshot Snapshot
    {
        get
        {
            EnsureStable();
            return configs.Snapshot;
        }
    }

    public Props ConfigOf(string name) =>
        Snapshot.Connectors.TryGetValue(name, out var config) ? config : throw ConnectRestException.NotFound(name);

    public ConnectorInfo Info(string name)
    {
        var snap = Snapshot;
        if (!snap.Connectors.TryGetValue(name, out var config)) throw ConnectRestException.NotFound(name);
        return new ConnectorInfo(name, config, [.. Enumerable.Range(0, snap.TasksOf(name).Count).Select(i => new TaskId(name, i))], TypeOf(config));
    }

    public ConnectorStateInfo Status(string name)
    {
        var snap = Snapshot;
        if (!snap.Connectors.TryGetValue(name, out var config)) throw ConnectRestException.NotFound(name);
        var connector = statuses.Get(name) ?? throw new ConnectRestException(404, $"No status found for connector {name}");
        var tasks = Enumerable.Range(0, snap.TasksOf(name).Count).Select(i => TaskStatus(name, i)).ToList();
        return new ConnectorStateInfo(name, new StateInfo(connector.State, connector.WorkerId, connector.Trace), tasks, TypeOf(config));
    }

    public TaskStateInfo TaskStatus(string name, int task)
    {
        var status = statuses.GetTask(name, task);
        return status is null
            ? new TaskStateInfo(task, ConnectorStatus.Unassigned, "")
            : new TaskStateInfo(task, status.State, status.WorkerId, status.Trace);
    }

    public IReadOnlyList<TaskInfo> Tasks(string name)
    {
        var snap = Snapshot;
        if (!snap.Contains(name)) throw ConnectRestException.NotFound(name);
        return [.. snap.TasksOf(name).Select((t, i) => new TaskInfo(new TaskId(name, i), t))];
    }

    /// <summary>Validates and stores a connector's configuration; returns whether it was created.</summary>
    public async Task<(ConnectorInfo Info, bool Created)> PutConfigAsync(string name, Props config, bool allowReplace, CancellationToken token)
    {
        var snap = Snapshot;
        var exists = snap.Contains(name);
        if (exists && !allowReplace) throw new ConnectRestException(409, $"Connector {name} already exists");
        var result = validator.Validate(config);
        if (result.ErrorCount > 0)
        {
            var errors = result.Errors.ToList();
            throw new ConnectRestException(400, $"Connector configuration is invalid and contains the following {errors.Count} error(s):\n" +
                string.Join("\n", errors) + "\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`");
        }
        await configs.PutConnectorConfigAsync(name, config, exists ? null : TargetState.Started, token);
        Wake();
        // The owner generates task configs asynchronously (as in Kafka, a new connector answers with its tasks empty).
        return (new ConnectorInfo(name, config, [.. Enumerable.Range(0, configs.Snapshot.TasksOf(name).Count).Select(i => new TaskId(name, i))],
            TypeOf(config)), !exists);
    }

    public async Task DeleteAsync(string name, CancellationToken token)
    {
        if (!Snapshot.Contains(name)) throw ConnectRestException.NotFound(name);
        await configs.RemoveConnectorConfigAsync(name, token);
        await statuses.DeleteAsync(name, token);
    }

    public async Task SetTargetStateAsync(string name, TargetState state, CancellationToken token)
    {
        if (!Snapshot.Contains(name)) throw ConnectRestException.NotFound(name);
        await configs.PutTargetStateAsync(name, state, token);
    }

    /// <summary>Asks the owners to restart; returns the states the restart will touch, as RESTARTING.</summary>
    public async Task<ConnectorStateInfo> RestartAsync(string name, bool includeTasks, bool onlyFailed, CancellationToken token)
    {
        var status = Status(name);
        await configs.RequestRestartAsync(name, new RestartRequest(includeTasks, onlyFailed, null), token);
        var connectorRestarts = !onlyFailed || status.Connector.State == ConnectorStatus.Failed;
        return status with
        {
            Connector = connectorRestarts ? status.Connector with { State = ConnectorStatus.Restarting } : status.Connector,
            Tasks = [.. status.Tasks.Select(t => includeTasks && (!onlyFailed || t.State == ConnectorStatus.Failed) ? t with { State = ConnectorStatus.Restarting } : t)],
        };
    }

    public async Task RestartTaskAsync(string name, int task, CancellationToken token)
    {
        var snap = Snapshot;
        if (!snap.Contains(name)) throw ConnectRestException.NotFound(name);
        if (task < 0 || task >= snap.TasksOf(name).Count) throw new ConnectRestException(404, $"Task {name}-{task} not found");
        await configs.RequestRestartAsync(name, new RestartRequest(true, false, task), token);
    }

    public string TypeOf(Props config) =>
        plugins.Find(config.GetValueOrDefault(ConnectorConfig.ConnectorClass), PluginKind.Source, PluginKind.Sink)?.KindName ?? "unknown";
}
