using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Informers;
using Topic = Platform.Contracts.Resources.KafkaTopic;

namespace Platform.ControllerManager.Controllers.Kafka;

/// <summary>
/// Keeps each KafkaTopic's broker topic as its spec says: creates it, raises its partitions (never lowers them: that
/// is <c>Ready=False</c>, <c>PartitionDecreaseNotSupported</c>), sets and removes its topic configs, and deletes it when
/// the resource is deleted (a finalizer holds the resource until then). Topic names are cluster-wide: of the
/// KafkaTopics that claim one name, the oldest owns the topic and the others stay <c>Ready=False</c>,
/// <c>TopicClaimedElsewhere</c>. A topic that existed before its KafkaTopic is adopted but not deleted with it: only
/// topics this controller created (annotation <see cref="CreatedAnnotation"/>) are.
/// </summary>
internal sealed class KafkaTopicController : Controller
{
    /// <summary>Set on a KafkaTopic whose broker topic this controller created, and so may delete.</summary>
    public const string CreatedAnnotation = "kafka.platform.io/topic-created";

    /// <summary>How long a topic waits before being looked at again after the broker said it cannot do what the spec asks.</summary>
    private static readonly TimeSpan UnsupportedRecheck = TimeSpan.FromMinutes(1);

    private readonly ITopicBroker _broker;
    private readonly EventRecorder _events;

    public KafkaTopicController(ClusterInformers informers, ApiClient api, ITopicBroker broker, EventRecorder events,
        IOptions<ControllerManagerOptions> options, TimeProvider time, ILogger<KafkaTopicController> log)
        : base(informers, api, options, time, log)
    {
        _broker = broker;
        _events = events;
        // A claim that changes or goes may hand the topic to another claim of the same name.
        informers.KafkaTopics.OnChange((old, now) =>
        {
            foreach (var name in new[] { old?.BrokerTopicName, now?.BrokerTopicName }.OfType<string>().Distinct())
                foreach (var claim in informers.KafkaTopics.ByIndex(ClusterInformers.BrokerTopicIndex, name)) Queue.Add(ObjectKeys.KeyOf(claim));
            if ((now ?? old) is { } t) Queue.Add(ObjectKeys.KeyOf(t));
        });
    }

    protected override string Name => "kafkatopic";

    protected override IEnumerable<string> AllKeys() => Informers.KafkaTopics.List().Select(ObjectKeys.KeyOf);

    /// <summary>The claim that owns <paramref name="name"/>: the oldest, then by namespace and name.</summary>
    private Topic? OwnerOf(string name) => Informers.KafkaTopics.ByIndex(ClusterInformers.BrokerTopicIndex, name)
        .OrderBy(t => t.Metadata.CreationTimestamp ?? DateTimeOffset.MaxValue)
        .ThenBy(t => t.Metadata.Namespace, StringComparer.Ordinal).ThenBy(t => t.Metadata.Name, StringComparer.Ordinal).FirstOrDefault();

    protected override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        if (Informers.KafkaTopics.Get(key) is not { } kt) return;
        var name = kt.BrokerTopicName;
        var owns = OwnerOf(name)?.Metadata.Uid == kt.Metadata.Uid;
        if (kt.Metadata.DeletionTimestamp is not null)
        {
            if (Finalizers.Has(kt, Topic.Finalizer)) await FinalizeAsync(kt, owns, ct);
            return;
        }
        if (!Finalizers.Has(kt, Topic.Finalizer))
        {
            await Finalizers.AddAsync(Api, ResourceKinds.KafkaTopic, kt, Topic.Finalizer, ct);
            return; // the update comes back through the informer
        }
        if (!owns)
        {
            var owner = OwnerOf(name)!;
            await WriteAsync(kt, null, false, Topic.ClaimedElsewhereReason,
                $"topic {name} is managed by KafkaTopic {owner.Metadata.Namespace}/{owner.Metadata.Name}; topic names are cluster-wide", ct);
            return;
        }
        try
        {
            await SyncAsync(kt, name, ct);
        }
        catch (TopicBrokerException e)
        {
            await WriteAsync(kt, null, false, "KafkaError", e.Message, ct);
            if (!e.Unsupported) throw new InvalidOperationException($"topic {name}: {e.Message}", e);
            Queue.AddAfter(key, UnsupportedRecheck);
        }
    }

    private async Task SyncAsync(Topic kt, string name, CancellationToken ct)
    {
        var spec = kt.Spec;
        var desired = (spec.Config ?? []).ToDictionary(kv => kv.Key, kv => kv.Value.GetString() ?? "", StringComparer.Ordinal);
        var topic = await _broker.DescribeAsync(name, ct);
        if (topic is null)
        {
            if (await _broker.CreateAsync(name, spec.Partitions, spec.Replicas, desired, ct))
            {
                await AnnotateCreatedAsync(kt, ct);
                _events.Record(kt, "Normal", "TopicCreated", $"created topic {name}");
                // The annotation changed the object: its status is written on the version the informer brings back.
                return;
            }
            topic = await _broker.DescribeAsync(name, ct);
            if (topic is null)
            {
                await WriteAsync(kt, null, false, "Creating", $"topic {name} is not in the broker's metadata yet", ct);
                throw new InvalidOperationException($"topic {name} not visible after its creation");
            }
        }
        if (spec.Partitions is { } wanted && wanted < topic.Partitions)
        {
            await WriteAsync(kt, topic, false, Topic.PartitionDecreaseReason,
                $"topic {name} has {topic.Partitions} partitions: Kafka cannot decrease them to {wanted}", ct);
            return;
        }
        var changed = false;
        if (spec.Partitions is { } more && more > topic.Partitions)
        {
            await _broker.CreatePartitionsAsync(name, more, ct);
            _events.Record(kt, "Normal", "PartitionsIncreased", $"topic {name}: partitions {topic.Partitions} -> {more}");
            changed = true;
        }
        if (topic.TopicConfigs is null && desired.Count > 0)
            throw new TopicBrokerException($"DescribeConfigs: the broker does not tell topic {name}'s configs, so spec.config cannot be applied", unsupported: true);
        var set = desired.Where(kv => topic.TopicConfigs?.GetValueOrDefault(kv.Key) != kv.Value).ToDictionary(StringComparer.Ordinal);
        var delete = (topic.TopicConfigs ?? new Dictionary<string, string>()).Keys.Where(k => !desired.ContainsKey(k)).ToList();
        if (set.Count > 0 || delete.Count > 0)
        {
            await _broker.AlterConfigAsync(name, set, delete, ct);
            _events.Record(kt, "Normal", "ConfigChanged", $"topic {name}: set {string.Join(", ", set.Keys.Order())}{(delete.Count > 0 ? "; removed " + string.Join(", ", delete.Order()) : "")}");
            changed = true;
        }
        if (changed) topic = await _broker.DescribeAsync(name, ct) ?? topic;
        if (spec.Replicas is { } replicas && replicas != topic.Replicas)
        {
            await WriteAsync(kt, topic, false, "ReplicasChangeNotSupported", $"topic {name} has {topic.Replicas} replicas; changing the replication factor needs a reassignment, which this controller does not do", ct);
            return;
        }
        if (spec.Partitions is { } asked && asked != topic.Partitions)
        {
            await WriteAsync(kt, topic, false, "PartitionsPending", $"topic {name} has {topic.Partitions} partitions, {asked} asked", ct);
            return;
        }
        await WriteAsync(kt, topic, true, "Ready", "", ct);
    }

    private async Task FinalizeAsync(Topic kt, bool owns, CancellationToken ct)
    {
        var name = kt.BrokerTopicName;
        if (owns && kt.Metadata.Annotations?.GetValueOrDefault(CreatedAnnotation) == "true")
        {
            try
            {
                await _broker.DeleteAsync(name, ct);
                _events.Record(kt, "Normal", "TopicDeleted", $"deleted topic {name}");
            }
            catch (TopicBrokerException e) when (e.Unsupported)
            {
                // Waiting would hold the resource (and its namespace) forever on a broker that cannot delete topics.
                _events.Record(kt, "Warning", "TopicNotDeleted", $"topic {name} stays on the broker: {e.Message}");
            }
            catch (TopicBrokerException e)
            {
                throw new InvalidOperationException($"deleting topic {name}: {e.Message}", e);
            }
        }
        await Finalizers.RemoveAsync(Api, ResourceKinds.KafkaTopic, kt, Topic.Finalizer, ct);
    }

    private Task AnnotateCreatedAsync(Topic kt, CancellationToken ct) =>
        Api.MergePatchAsync(ResourceKinds.KafkaTopic.ObjectPath(kt.Metadata.Namespace, kt.Metadata.Name!),
            new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [CreatedAnnotation] = "true" } } }, ct);

    private Task WriteAsync(Topic kt, BrokerTopic? topic, bool ready, string reason, string message, CancellationToken ct)
    {
        var status = new KafkaTopicStatus
        {
            Conditions = ReadyCondition.Of(kt.Status?.Conditions, ready, reason, message, kt.Metadata.Generation, Time.GetUtcNow()),
            ObservedGeneration = kt.Metadata.Generation,
            TopicName = kt.BrokerTopicName,
            Partitions = topic?.Partitions ?? kt.Status?.Partitions,
            Replicas = topic?.Replicas ?? kt.Status?.Replicas,
        };
        return WriteStatusAsync(ResourceKinds.KafkaTopic, kt, kt.Status, status, ct);
    }
}
