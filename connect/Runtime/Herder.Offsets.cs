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
            foreach (var tpo in await SinkOffsetsAsync(name, config, token))
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
                await admin.DeleteGroupsAsync([WorkerSinkTask.GroupId(name)], new DeleteGroupsOptions { RequestTimeout = TimeSpan.FromSeconds(10) }).WaitAsync(TimeSpan.FromSeconds(15), token);
            }
            catch (DeleteGroupsException ex) when (ex.Results.All(r => r.Error.Code is ErrorCode.GroupIdNotFound or ErrorCode.NoError))
            {
            }
            catch (TimeoutException)
            {
                throw new ConnectRestException(500, $"Failed to reset offsets for sink connector {name}: the broker did not answer DeleteGroups in time");
            }
            catch (DeleteGroupsException ex)
            {
                throw new ConnectRestException(500, $"Failed to reset offsets for sink connector {name}: {ex.Results.First(r => r.Error.IsError).Error.Reason}");
            }
        }
        else await offsets.ResetAsync(name, token);
    }

    /// <summary>
    /// The sink group's committed offsets, fetched the way a member would (OffsetFetch, without joining the group), for
    /// every partition of the topics the connector reads.
    /// </summary>
    private Task<IReadOnlyList<TopicPartitionOffset>> SinkOffsetsAsync(string name, IReadOnlyDictionary<string, string> config, CancellationToken token) =>
        Task.Run<IReadOnlyList<TopicPartitionOffset>>(() =>
        {
            using var admin = Admin();
            var topics = config.GetValueOrDefault(ConnectorConfig.Topics, "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var regex = config.GetValueOrDefault(ConnectorConfig.TopicsRegex, "").Trim();
            var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
            var partitions = metadata.Topics
                .Where(t => topics.Contains(t.Topic) || (regex.Length > 0 && System.Text.RegularExpressions.Regex.IsMatch(t.Topic, "^(?:" + regex + ")$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1))))
                .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId)))
                .ToList();
            if (partitions.Count == 0) return [];
            using var consumer = new ConsumerBuilder<Ignore, Ignore>(kafka.Value.ApplyTo(new ConsumerConfig { GroupId = WorkerSinkTask.GroupId(name), EnableAutoCommit = false }))
                .SetLogHandler((_, _) => { }).Build();
            return [.. consumer.Committed(partitions, TimeSpan.FromSeconds(10)).Where(p => p.Offset.Value >= 0).OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition.Value)];
        }, token);

    private IAdminClient Admin() =>
        new AdminClientBuilder(kafka.Value.ApplyTo(new AdminClientConfig())).SetLogHandler((_, _) => { }).Build();
}
