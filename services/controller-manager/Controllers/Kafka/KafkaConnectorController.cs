using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Informers;
using Connector = Platform.Contracts.Resources.KafkaConnector;

namespace Platform.ControllerManager.Controllers.Kafka;

/// <summary>
/// Keeps each KafkaConnector configured on the Kafka Connect workers through the REST API: <c>PUT
/// /connectors/{name}/config</c> when the configuration differs, <c>pause</c>/<c>resume</c>/<c>stop</c> toward
/// <c>spec.state</c>, <c>DELETE</c> when the resource is deleted (a finalizer holds it until then), and the status
/// read back from <c>GET /connectors/{name}/status</c> every <c>KafkaConnectorStatusPeriod</c>. On the workers the
/// connector is named <c>&lt;namespace&gt;.&lt;name&gt;</c>, so namespaces never collide.
/// </summary>
internal sealed class KafkaConnectorController : Controller
{
    private readonly ConnectRestClient? _connect;
    private readonly EventRecorder _events;
    private readonly TimeSpan _period;

    public KafkaConnectorController(ClusterInformers informers, ApiClient api, EventRecorder events, IOptions<ControllerManagerOptions> options,
        TimeProvider time, ILogger<KafkaConnectorController> log, ConnectRestClient? connect = null)
        : base(informers, api, options, time, log)
    {
        _connect = connect;
        _events = events;
        _period = options.Value.KafkaConnectorStatusPeriod;
        informers.KafkaConnectors.OnChange((old, now) => Queue.Add(ObjectKeys.KeyOf((now ?? old)!)));
    }

    protected override string Name => "kafkaconnector";

    protected override IEnumerable<string> AllKeys() => Informers.KafkaConnectors.List().Select(ObjectKeys.KeyOf);

    protected override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        if (Informers.KafkaConnectors.Get(key) is not { } kc) return;
        if (kc.Metadata.DeletionTimestamp is not null)
        {
            if (!Finalizers.Has(kc, Connector.Finalizer)) return;
            if (_connect is not null) await _connect.DeleteAsync(kc.ConnectorName, ct);
            else _events.Record(kc, "Warning", "ConnectNotConfigured", $"connector {kc.ConnectorName} not deleted: ControllerManager:ConnectUrl is not set");
            await Finalizers.RemoveAsync(Api, ResourceKinds.KafkaConnector, kc, Connector.Finalizer, ct);
            return;
        }
        if (!Finalizers.Has(kc, Connector.Finalizer))
        {
            await Finalizers.AddAsync(Api, ResourceKinds.KafkaConnector, kc, Connector.Finalizer, ct);
            return;
        }
        if (_connect is null)
        {
            await WriteAsync(kc, null, false, "ConnectNotConfigured", "the controller-manager has no Kafka Connect URL (ControllerManager:ConnectUrl)", ct);
            return;
        }
        try
        {
            await SyncAsync(kc, _connect, ct);
        }
        catch (ConnectRestException e) when (e.IsClientError)
        {
            // An invalid config stays invalid until the spec changes (which requeues); read it again at the next poll anyway.
            await WriteAsync(kc, null, false, "ConnectorConfigInvalid", e.ConnectMessage, ct);
        }
        catch (HttpRequestException e)
        {
            await WriteAsync(kc, null, false, "ConnectUnavailable", e.Message, ct);
            throw;
        }
        Queue.AddAfter(key, _period);
    }

    private async Task SyncAsync(Connector kc, ConnectRestClient connect, CancellationToken ct)
    {
        var name = kc.ConnectorName;
        var config = (kc.Spec.Config ?? []).ToDictionary(kv => kv.Key, kv => kv.Value.GetString() ?? "", StringComparer.Ordinal);
        config["connector.class"] = kc.Spec.Class ?? "";
        config["tasks.max"] = (kc.Spec.TasksMax ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var current = await connect.GetConfigAsync(name, ct);
        if (current is null || !SameConfig(current, config, name))
        {
            await connect.PutConfigAsync(name, config, ct);
            _events.Record(kc, "Normal", current is null ? "ConnectorCreated" : "ConnectorUpdated", $"connector {name} configured on the Connect workers");
        }
        var target = (kc.Spec.State ?? "running").ToUpperInvariant();
        var status = await connect.GetStatusAsync(name, ct);
        var state = status?.Connector?.State;
        if (state is not null && state != target && state != "FAILED" && state != "RESTARTING" || status is null && target != "RUNNING")
        {
            await connect.SetStateAsync(name, target switch { "PAUSED" => "pause", "STOPPED" => "stop", _ => "resume" }, ct);
            status = await connect.GetStatusAsync(name, ct);
        }
        var (ready, reason, message) = Judge(status, target);
        await WriteAsync(kc, status, ready, reason, message, ct);
    }

    /// <summary>Connect adds <c>name</c> to a stored config; every other key must match.</summary>
    private static bool SameConfig(Dictionary<string, string> current, Dictionary<string, string> wanted, string name) =>
        current.Where(kv => !(kv.Key == "name" && kv.Value == name)).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .SequenceEqual(wanted.OrderBy(kv => kv.Key, StringComparer.Ordinal));

    /// <summary>Ready when the connector and every task (at least one unless stopped) are in the target state; otherwise why not.</summary>
    private static (bool Ready, string Reason, string Message) Judge(ConnectorStatusBody? status, string target)
    {
        if (status?.Connector is not { } c) return (false, "ConnectorPending", "the workers have not reported the connector's state yet");
        if (c.State == "FAILED") return (false, "ConnectorFailed", FirstLine(c.Trace) ?? "the connector failed");
        if (status.Tasks?.FirstOrDefault(t => t.State == "FAILED") is { } failed)
            return (false, "TaskFailed", $"task {failed.Id} failed: {FirstLine(failed.Trace) ?? "no trace"}");
        if (c.State != target) return (false, "ConnectorPending", $"connector is {c.State}, {target} asked");
        // A started connector whose task configs are not committed yet reports no tasks for a moment.
        if (target != "STOPPED" && (status.Tasks?.Count ?? 0) == 0) return (false, "TasksPending", "the connector has no tasks yet");
        if (status.Tasks?.FirstOrDefault(t => t.State != target) is { } pending) return (false, "TasksPending", $"task {pending.Id} is {pending.State}, {target} asked");
        return (true, "Ready", "");
    }

    private static string? FirstLine(string? trace) => trace?.Split('\n', 2)[0].Trim();

    private Task WriteAsync(Connector kc, ConnectorStatusBody? body, bool ready, string reason, string message, CancellationToken ct)
    {
        var status = new KafkaConnectorStatus
        {
            Conditions = ReadyCondition.Of(kc.Status?.Conditions, ready, reason, message, kc.Metadata.Generation, Time.GetUtcNow()),
            ObservedGeneration = kc.Metadata.Generation,
            ConnectorStatus = body ?? kc.Status?.ConnectorStatus,
            TasksMax = kc.Spec.TasksMax ?? 1,
        };
        return WriteStatusAsync(ResourceKinds.KafkaConnector, kc, kc.Status, status, ct);
    }
}
