using System.Text.Json.Nodes;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Platform.Connect.Storage;

namespace Platform.Connect.Runtime;

/// <summary>
/// <c>GET/DELETE /connectors/{name}/offsets</c>: a source connector's offsets from the offset store, a sink connector's
/// from its consumer group <c>connect-&lt;name&gt;</c>, in Kafka Connect's ConnectorOffsets shape.
/// </summary>
internal sealed partial class Herder
{
    public async Task<JsonObject> OffsetsAsync(string name, CancellationToken token)
    {
        var config = ConfigOf(name);
        var list = new JsonArray();
        if (TypeOf(config) == "sink")
        {
            foreach (var tpo in await SinkOffsetsAsync(name, token))
                list.Add(new JsonObject
                {
                    ["partition"] = new JsonObject { ["kafka_topic"] = tpo.Topic, ["kafka_partition"] = tpo.Partition.Value },
                    ["offset"] = new JsonObject { ["kafka_offset"] = tpo.Offset.Value },
                });
        }
        else
        {
            foreach (var (partition, offset) in offsets.GetAll(name))
                list.Add(new JsonObject { ["partition"] = partition, ["offset"] = offset });
        }
        return new JsonObject { ["offsets"] = list };
    }

    public async Task ResetOffsetsAsync(string name, CancellationToken token)
    {
        var snap = Snapshot;
        if (!snap.Connectors.TryGetValue(name, out var config)) throw ConnectRestException.NotFound(name);
        if (snap.TargetStateOf(name) != TargetState.Stopped || snap.TasksOf(name).Count > 0)
            throw new ConnectRestException(400, "Connectors must be in the STOPPED state before their offsets can be modified. This can be done " +
                $"for the specified connector by issuing a 'PUT' request to the '/connectors/{name}/stop' endpoint");
        if (TypeOf(config) == "sink")
        {
            using var admin = Admin();
            try
            {
                await admin.DeleteGroupsAsync([WorkerSinkTask.GroupId(name)]);
            }
            catch (DeleteGroupsException ex) when (ex.Results.All(r => r.Error.Code is ErrorCode.GroupIdNotFound or ErrorCode.NoError))
            {
            }
            catch (DeleteGroupsException ex)
            {
                throw new ConnectRestException(500, $"Failed to reset offsets for sink connector {name}: {ex.Results.First(r => r.Error.IsError).Error.Reason}");
            }
        }
        else await offsets.ResetAsync(name, token);
    }

    private async Task<IReadOnlyList<TopicPartitionOffset>> SinkOffsetsAsync(string name, CancellationToken token)
    {
        using var admin = Admin();
        var result = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(WorkerSinkTask.GroupId(name), null)])
            .WaitAsync(TimeSpan.FromSeconds(10), token);
        return [.. result.SelectMany(g => g.Partitions).Where(p => p.Offset.Value >= 0).Select(p => p.TopicPartitionOffset)];
    }

    private IAdminClient Admin() =>
        new AdminClientBuilder(kafka.Value.ApplyTo(new AdminClientConfig())).SetLogHandler((_, _) => { }).Build();
}
