using System.Text.Json.Nodes;
using Platform.Console.Apiserver;
using Platform.Console.Connect;
using Platform.Contracts.Resources;

namespace Platform.Console.Pages;

/// <summary>A KafkaConnector resource's line: spec (class, tasks, target state, config masked) and what the controller saw.</summary>
internal sealed record KafkaConnectorRow(string Namespace, string Name, string Class, long TasksMax, string Target, string? Ready, string? ReadyMessage,
    string? State, IReadOnlyList<string> TaskStates, IReadOnlyList<KeyValuePair<string, string>> Config);

/// <summary>
/// Connectors: the Connect workers' connectors (state, worker, tasks, config with secret-looking values masked), read
/// with the platform's credentials and so shown only to users the apiserver allows <c>list
/// kafkaconnectors.kafka.platform.io</c> in every namespace; and the KafkaConnector resources of <c>?ns=</c>, read
/// with the user's token.
/// </summary>
internal sealed class ConnectorsModel(UserApi api, ConnectReader connect) : ConsolePage(api)
{
    public Section Resources { get; private set; } = Section.Empty;
    public IReadOnlyList<KafkaConnectorRow> Rows { get; private set; } = [];
    public IReadOnlyList<ConnectConnector> Workers { get; private set; } = [];
    public string? WorkersNote { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var resources = ListAsync(ResourceKinds.KafkaConnector, Namespace, ct);
        WorkersNote = await ReadWorkersAsync(ct);
        Resources = await resources;
        Rows = [.. Resources.Items.Select(Row)];
        StatusFrom(Resources);
    }

    private async Task<string?> ReadWorkersAsync(CancellationToken ct)
    {
        if (!connect.Configured) return "No Connect worker is configured: set Console:ConnectUrl (./platform up sets it to the worker on :8083).";
        if (!await AccessReview.AllowsAsync(Api.Client, "list", ResourceKinds.Kafka, "kafkaconnectors", null, ct))
            return $"User \"{Api.UserName}\" may not see the Connect workers: it needs list on kafkaconnectors.kafka.platform.io in every namespace.";
        try
        {
            Workers = await connect.ReadAsync(ct);
            return null;
        }
        catch (HttpRequestException ex)
        {
            return "the Connect workers cannot be read: " + ex.Message;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return "the Connect workers did not answer within 10 s";
        }
    }

    internal static KafkaConnectorRow Row(JsonObject o)
    {
        var ready = o.Objects("status", "conditions").FirstOrDefault(c => c.Str("type") == "Ready");
        var config = o["spec"]?["config"] is JsonObject c
            ? c.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => KeyValuePair.Create(e.Key, Secrets.Mask(e.Key, e.Value?.ToString() ?? ""))).ToList()
            : [];
        return new KafkaConnectorRow(o.Ns(), o.Name(), o.Str("spec", "class") ?? "", o["spec"]?["tasksMax"] is null ? 1 : o.Int("spec", "tasksMax"),
            o.Str("spec", "state") ?? "running", ready?.Str("status"), ready?.Str("message"),
            o.Str("status", "connectorStatus", "connector", "state"),
            [.. o.Objects("status", "connectorStatus", "tasks").Select(t => $"{t.Int("id")}: {t.Str("state")}")], config);
    }
}
