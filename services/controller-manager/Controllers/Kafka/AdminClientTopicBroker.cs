using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Options;
using Platform.EventBus.Kafka;

namespace Platform.ControllerManager.Controllers.Kafka;

/// <summary>
/// <see cref="ITopicBroker"/> over Confluent.Kafka's admin client (CreateTopics, DescribeConfigs,
/// IncrementalAlterConfigs, CreatePartitions, DeleteTopics), reading topics from the cluster's full metadata so that a
/// look-up never auto-creates one. A broker that does not know CreateTopics (librdkafka's mock cluster, the
/// development broker) gets the topic by auto-creation instead: a metadata request for the topic, which such a broker
/// answers by creating it with its default partition count (the status shows the count it got). Such a broker has no
/// controller, so every admin call waits out its timeout ("Failed while waiting for controller"); once seen, the
/// calls fail at once for <see cref="NoControllerMemory"/> instead of waiting again. With
/// <c>ControllerManager:DevBrokerControlFile</c> set (<c>./platform up</c>), topics are created through the development
/// broker's control port instead, with exactly the partitions and replicas asked (1 each when unset, Kafka's defaults).
/// </summary>
internal sealed class AdminClientTopicBroker(IOptions<KafkaOptions> kafka, IOptions<ControllerManagerOptions> options, TimeProvider time) : ITopicBroker, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    internal static readonly TimeSpan NoControllerMemory = TimeSpan.FromMinutes(1);
    private long _noControllerUntil;
    private readonly Lazy<IAdminClient> _admin = new(() =>
        new AdminClientBuilder(kafka.Value.ApplyTo(new AdminClientConfig { ClientId = "controller-manager-topics" })).SetLogHandler((_, _) => { }).Build());

    private IAdminClient Admin => _admin.Value;

    public async Task<BrokerTopic?> DescribeAsync(string topic, CancellationToken ct)
    {
        var metadata = await Task.Run(() => Admin.GetMetadata(Timeout), ct);
        if (metadata.Topics.FirstOrDefault(t => t.Topic == topic) is not { Error.IsError: false, Partitions.Count: > 0 } found) return null;
        IReadOnlyDictionary<string, string>? configs = null;
        try
        {
            var described = await Call(() => Admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }],
                new DescribeConfigsOptions { RequestTimeout = Timeout }), "DescribeConfigs", ct);
            configs = described[0].Entries.Values.Where(e => e.Source == ConfigSource.DynamicTopicConfig)
                .ToDictionary(e => e.Name, e => e.Value ?? "", StringComparer.Ordinal);
        }
        catch (TopicBrokerException e) when (e.Unsupported)
        {
            // The topic is still described; only its configs are unknown.
        }
        return new BrokerTopic(topic, found.Partitions.Count, found.Partitions.Min(p => p.Replicas.Length), configs);
    }

    public async Task<bool> CreateAsync(string topic, int? partitions, int? replicas, IReadOnlyDictionary<string, string> config, CancellationToken ct)
    {
        try
        {
            await Call(() => Admin.CreateTopicsAsync(
                [new TopicSpecification { Name = topic, NumPartitions = partitions ?? -1, ReplicationFactor = (short)(replicas ?? -1), Configs = config.ToDictionary() }],
                new CreateTopicsOptions { RequestTimeout = Timeout, OperationTimeout = Timeout }), "CreateTopics", ct);
            return true;
        }
        catch (TopicBrokerException e) when (e.InnerException is CreateTopicsException c && c.Results.All(r => r.Error.Code is ErrorCode.TopicAlreadyExists or ErrorCode.NoError))
        {
            return false;
        }
        catch (TopicBrokerException e) when (e.Unsupported)
        {
            if (options.Value.DevBrokerControlFile is { Length: > 0 } control)
                await DevBrokerControl.CreateTopicAsync(control, topic, partitions ?? 1, replicas ?? 1, ct);
            else
                await Task.Run(() => Admin.GetMetadata(topic, Timeout), ct);
            return true;
        }
    }

    public Task AlterConfigAsync(string topic, IReadOnlyDictionary<string, string> set, IReadOnlyCollection<string> delete, CancellationToken ct)
    {
        var entries = set.Select(kv => new ConfigEntry { Name = kv.Key, Value = kv.Value, IncrementalOperation = AlterConfigOpType.Set })
            .Concat(delete.Select(k => new ConfigEntry { Name = k, IncrementalOperation = AlterConfigOpType.Delete })).ToList();
        return Call(() => Admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [new ConfigResource { Type = ResourceType.Topic, Name = topic }] = entries,
        }, new IncrementalAlterConfigsOptions { RequestTimeout = Timeout }), "IncrementalAlterConfigs", ct);
    }

    public Task CreatePartitionsAsync(string topic, int total, CancellationToken ct) =>
        Call(() => Admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = topic, IncreaseTo = total }],
            new CreatePartitionsOptions { RequestTimeout = Timeout, OperationTimeout = Timeout }), "CreatePartitions", ct);

    public async Task DeleteAsync(string topic, CancellationToken ct)
    {
        try
        {
            await Call(() => Admin.DeleteTopicsAsync([topic], new DeleteTopicsOptions { RequestTimeout = Timeout, OperationTimeout = Timeout }), "DeleteTopics", ct);
        }
        catch (TopicBrokerException e) when (e.InnerException is DeleteTopicsException d && d.Results.All(r => r.Error.Code == ErrorCode.UnknownTopicOrPart))
        {
        }
    }

    /// <summary>Runs an admin call, turning the broker's refusals into <see cref="TopicBrokerException"/> with its reason.</summary>
    private async Task Call(Func<Task> call, string api, CancellationToken ct) => await Call(async () => { await call(); return 0; }, api, ct);

    private async Task<T> Call<T>(Func<Task<T>> call, string api, CancellationToken ct)
    {
        if (time.GetUtcNow().UtcTicks < Interlocked.Read(ref _noControllerUntil))
            throw new TopicBrokerException($"{api}: the broker has no controller to answer admin calls", unsupported: true);
        try
        {
            return await call().WaitAsync(Timeout + TimeSpan.FromSeconds(5), ct);
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_TimedOut && e.Message.Contains("controller", StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Exchange(ref _noControllerUntil, (time.GetUtcNow() + NoControllerMemory).UtcTicks);
            throw new TopicBrokerException($"{api}: the broker has no controller to answer admin calls", unsupported: true, e);
        }
        catch (KafkaException e)
        {
            var errors = e switch
            {
                CreateTopicsException c => c.Results.Select(r => r.Error),
                DeleteTopicsException d => d.Results.Select(r => r.Error),
                CreatePartitionsException p => p.Results.Select(r => r.Error),
                DescribeConfigsException dc => dc.Results.Select(r => r.Error),
                IncrementalAlterConfigsException a => a.Results.Select(r => r.Error),
                _ => [e.Error],
            };
            var error = errors.FirstOrDefault(x => x.IsError) ?? e.Error;
            var unsupported = error.Code is ErrorCode.Local_UnsupportedFeature or ErrorCode.UnsupportedVersion or ErrorCode.InvalidRequest;
            throw new TopicBrokerException($"{api}: {error.Reason}", unsupported, e);
        }
        catch (TimeoutException e)
        {
            throw new TopicBrokerException($"{api}: the broker did not answer within {Timeout.TotalSeconds:0} s", unsupported: false, e);
        }
    }

    public void Dispose()
    {
        if (_admin.IsValueCreated) _admin.Value.Dispose();
    }
}
