using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Options;
using Platform.EventBus.Kafka;

namespace Platform.Console.Kafka;

/// <summary>
/// Reads the Kafka cluster's topics, partitions, topic configs and consumer groups with their lag through the admin
/// API (metadata, DescribeConfigs, ListConsumerGroups, ListConsumerGroupOffsets) and a consumer handle's watermark
/// queries, with the console's own Kafka connection (<c>Kafka:*</c>). It never fetches a message: no payload is read.
/// </summary>
internal sealed class KafkaInspector(IOptions<KafkaOptions> options) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly Lazy<IAdminClient> _admin = new(() => new AdminClientBuilder(options.Value.ApplyTo(new AdminClientConfig()))
        .SetLogHandler((_, _) => { }).Build());
    // Watermarks are answered by a consumer handle; it never subscribes, joins a group or fetches.
    private readonly Lazy<IConsumer<Ignore, Ignore>> _watermarks = new(() => new ConsumerBuilder<Ignore, Ignore>(
        options.Value.ApplyTo(new ConsumerConfig { GroupId = "platform-console-watermarks", EnableAutoCommit = false }))
        .SetLogHandler((_, _) => { }).Build());

    /// <summary>Reads topics and groups; <paramref name="groups"/> are looked up by name besides those the brokers list.</summary>
    public async Task<KafkaSnapshot> ReadAsync(IReadOnlyCollection<string> groups, CancellationToken ct)
    {
        var admin = _admin.Value;
        var metadata = await Task.Run(() => admin.GetMetadata(Timeout), ct);
        var marks = new Dictionary<TopicPartition, WatermarkOffsets>();
        WatermarkOffsets Mark(string topic, int partition)
        {
            var tp = new TopicPartition(topic, partition);
            if (!marks.TryGetValue(tp, out var w)) marks[tp] = w = _watermarks.Value.QueryWatermarkOffsets(tp, Timeout);
            return w;
        }
        var (configs, configsError) = await ConfigsAsync(admin, metadata.Topics.Select(t => t.Topic), ct);
        var topics = await Task.Run(() => metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError).OrderBy(t => t.Topic, StringComparer.Ordinal)
            .Select(t => new TopicView(t.Topic,
                [.. t.Partitions.OrderBy(p => p.PartitionId).Select(p =>
                {
                    var w = Mark(t.Topic, p.PartitionId);
                    return new PartitionView(p.PartitionId, p.Leader, p.Replicas, p.InSyncReplicas, w.Low, w.High);
                })],
                configs.TryGetValue(t.Topic, out var c) ? c : []))
            .ToList(), ct);
        var partitions = topics.SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Name, p.Id))).ToList();
        var (views, groupsError) = await GroupsAsync(admin, partitions, groups, (t, p) => Mark(t, p).High, ct);
        return new KafkaSnapshot(topics, views, configsError, groupsError);
    }

    private static async Task<(Dictionary<string, IReadOnlyList<KeyValuePair<string, string>>>, string?)> ConfigsAsync(
        IAdminClient admin, IEnumerable<string> topics, CancellationToken ct)
    {
        var result = new Dictionary<string, IReadOnlyList<KeyValuePair<string, string>>>(StringComparer.Ordinal);
        var resources = topics.Select(t => new ConfigResource { Type = ResourceType.Topic, Name = t }).ToList();
        if (resources.Count == 0) return (result, null);
        try
        {
            var described = await admin.DescribeConfigsAsync(resources, new DescribeConfigsOptions { RequestTimeout = Timeout }).WaitAsync(ct);
            foreach (var d in described)
                result[d.ConfigResource.Name] = [.. d.Entries.Values.Where(e => !e.IsDefault && e.Value is not null)
                    .OrderBy(e => e.Name, StringComparer.Ordinal)
                    .Select(e => KeyValuePair.Create(e.Name, e.IsSensitive ? Connect.Secrets.Masked : e.Value))];
            return (result, null);
        }
        catch (KafkaException ex)
        {
            return (result, "topic configs cannot be read: " + ex.Error.Reason);
        }
    }

    private static async Task<(IReadOnlyList<GroupView>, string?)> GroupsAsync(IAdminClient admin, IReadOnlyList<TopicPartition> partitions,
        IReadOnlyCollection<string> named, Func<string, int, long> high, CancellationToken ct)
    {
        // The classic ListGroups (every broker's groups, with their state): librdkafka's ListConsumerGroups crashes the
        // process on a broker without the API (the mock cluster), this one answers "not supported".
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        string? listError = null;
        try
        {
            foreach (var g in await Task.Run(() => admin.ListGroups(Timeout), ct)) states[g.Group] = g.State;
        }
        catch (KafkaException ex)
        {
            listError = "consumer groups cannot be listed: " + ex.Error.Reason + " (a group can still be looked up by name)";
        }
        foreach (var n in named) states.TryAdd(n, "");
        var groups = new List<GroupView>();
        foreach (var (group, state) in states.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            try
            {
                // Every partition asked for by name: an absent list (all partitions) is not answered by every broker.
                List<ListConsumerGroupOffsetsResult> offsets = partitions.Count == 0 ? [] : await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, [.. partitions])],
                    new ListConsumerGroupOffsetsOptions { RequestTimeout = Timeout }).WaitAsync(ct);
                var lags = await Task.Run(() => offsets.SelectMany(o => o.Partitions)
                    .Where(p => p.Error.Code == ErrorCode.NoError && p.Offset.Value >= 0)
                    .OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition.Value)
                    .Select(p => new PartitionLag(p.Topic, p.Partition.Value, p.Offset.Value, high(p.Topic, p.Partition.Value)))
                    .ToList(), ct);
                groups.Add(new GroupView(group, state, lags));
            }
            catch (KafkaException ex)
            {
                groups.Add(new GroupView(group, state, [], ex.Error.Reason));
            }
        }
        return (groups, listError);
    }

    public void Dispose()
    {
        if (_watermarks.IsValueCreated) _watermarks.Value.Dispose();
        if (_admin.IsValueCreated) _admin.Value.Dispose();
    }
}
