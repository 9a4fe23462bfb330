using System.Collections.Concurrent;
using Platform.ControllerManager.Controllers.Kafka;

namespace Platform.ControllerManager.Tests.Controllers.Kafka;

/// <summary>
/// A broker with the admin calls the mock cluster lacks (CreateTopics, DescribeConfigs, IncrementalAlterConfigs,
/// CreatePartitions, DeleteTopics), kept in memory with Kafka's rules: partitions only grow, a created topic starts
/// with exactly the configs asked. Every call is recorded, so a test sees what the controller asked for.
/// </summary>
internal sealed class InMemoryTopicBroker : ITopicBroker
{
    private readonly ConcurrentDictionary<string, BrokerTopic> _topics = new();

    public ConcurrentQueue<string> Calls { get; } = new();

    public BrokerTopic? this[string topic] => _topics.GetValueOrDefault(topic);

    /// <summary>A config set on the topic by someone else than the controller (kafka-configs.sh, say).</summary>
    public void SetOutside(string topic, string key, string value)
    {
        var t = _topics[topic];
        _topics[topic] = t with { TopicConfigs = new Dictionary<string, string>(t.TopicConfigs!) { [key] = value } };
    }

    public Task<BrokerTopic?> DescribeAsync(string topic, CancellationToken ct) => Task.FromResult(_topics.GetValueOrDefault(topic));

    public Task<bool> CreateAsync(string topic, int? partitions, int? replicas, IReadOnlyDictionary<string, string> config, CancellationToken ct)
    {
        Calls.Enqueue($"create {topic} partitions={partitions} replicas={replicas} {Show(config)}");
        return Task.FromResult(_topics.TryAdd(topic, new BrokerTopic(topic, partitions ?? 1, replicas ?? 1, config.ToDictionary())));
    }

    public Task AlterConfigAsync(string topic, IReadOnlyDictionary<string, string> set, IReadOnlyCollection<string> delete, CancellationToken ct)
    {
        Calls.Enqueue($"alter {topic} set {Show(set)} delete {string.Join(",", delete.Order())}");
        var t = _topics[topic];
        var configs = new Dictionary<string, string>(t.TopicConfigs!);
        foreach (var (k, v) in set) configs[k] = v;
        foreach (var k in delete) configs.Remove(k);
        _topics[topic] = t with { TopicConfigs = configs };
        return Task.CompletedTask;
    }

    public Task CreatePartitionsAsync(string topic, int total, CancellationToken ct)
    {
        Calls.Enqueue($"partitions {topic} {total}");
        var t = _topics[topic];
        if (total <= t.Partitions) throw new TopicBrokerException($"CreatePartitions: Topic currently has {t.Partitions} partitions, which is higher than the requested {total}.");
        _topics[topic] = t with { Partitions = total };
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string topic, CancellationToken ct)
    {
        Calls.Enqueue($"delete {topic}");
        _topics.TryRemove(topic, out _);
        return Task.CompletedTask;
    }

    private static string Show(IReadOnlyDictionary<string, string> config) => string.Join(",", config.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
}
