using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Informers;

/// <summary>
/// The kit's shared informers the controllers read, typed, with the indexes they look things up by (pods by node
/// and by owner, ReplicaSets by owner). Every instance keeps them warm, leader or not, for a fast takeover.
/// </summary>
internal sealed class ClusterInformers
{
    /// <summary>The kinds followed, which are also the topics consumed.</summary>
    public static readonly IReadOnlyList<ResourceKind> Kinds =
        [ResourceKinds.Pod, ResourceKinds.ReplicaSet, ResourceKinds.Deployment, ResourceKinds.Node, ResourceKinds.Service, ResourceKinds.Lease,
         ResourceKinds.Namespace, ResourceKinds.ServiceAccount, ResourceKinds.ClusterRole, ResourceKinds.ResourceQuota, ResourceKinds.ConfigMap,
         ResourceKinds.Secret, ResourceKinds.EndpointSlice, ResourceKinds.Endpoints,
         ResourceKinds.PersistentVolume, ResourceKinds.PersistentVolumeClaim, ResourceKinds.StorageClass, ResourceKinds.Job, ResourceKinds.CronJob,
         ResourceKinds.DaemonSet, ResourceKinds.StatefulSet, ResourceKinds.ControllerRevision,
         ResourceKinds.PodDisruptionBudget, ResourceKinds.HorizontalPodAutoscaler,
         ResourceKinds.KafkaTopic, ResourceKinds.KafkaConnector];

    public ClusterInformers(SharedInformerFactory factory)
    {
        Pods = factory.For<Pod>(ResourceKinds.Pod);
        ReplicaSets = factory.For<ReplicaSet>(ResourceKinds.ReplicaSet);
        Deployments = factory.For<Deployment>(ResourceKinds.Deployment);
        Nodes = factory.For<Node>(ResourceKinds.Node);
        Services = factory.For<Service>(ResourceKinds.Service);
        Leases = factory.For<Lease>(ResourceKinds.Lease);
        Namespaces = factory.For<Namespace>(ResourceKinds.Namespace);
        ServiceAccounts = factory.For<ServiceAccount>(ResourceKinds.ServiceAccount);
        ClusterRoles = factory.For<ClusterRole>(ResourceKinds.ClusterRole);
        ResourceQuotas = factory.For<ResourceQuota>(ResourceKinds.ResourceQuota);
        // Counted by the quota controller, never read: metadata only (a controller may not read Secrets' data).
        ConfigMaps = factory.For<ConfigMap>(ResourceKinds.ConfigMap, o => o.MetadataOnly = true);
        Secrets = factory.For<Secret>(ResourceKinds.Secret, o => o.MetadataOnly = true);
        EndpointSlices = factory.For<EndpointSlice>(ResourceKinds.EndpointSlice);
        Endpoints = factory.For<Endpoints>(ResourceKinds.Endpoints);
        PersistentVolumes = factory.For<PersistentVolume>(ResourceKinds.PersistentVolume);
        PersistentVolumeClaims = factory.For<PersistentVolumeClaim>(ResourceKinds.PersistentVolumeClaim);
        StorageClasses = factory.For<StorageClass>(ResourceKinds.StorageClass);
        Jobs = factory.For<Job>(ResourceKinds.Job);
        CronJobs = factory.For<CronJob>(ResourceKinds.CronJob);
        HorizontalPodAutoscalers = factory.For<HorizontalPodAutoscaler>(ResourceKinds.HorizontalPodAutoscaler);
        Jobs.AddIndexer(Indexers.Owner, Indexers.ByOwner);
        EndpointSlices.AddIndexer(Indexers.Owner, Indexers.ByOwner);
        PersistentVolumeClaims.AddIndexer(Indexers.Owner, Indexers.ByOwner);
        Endpoints.AddIndexer(Indexers.Owner, Indexers.ByOwner);
        Pods.AddIndexer(Indexers.NodeName, Indexers.ByNodeName);
        Pods.AddIndexer(Indexers.Owner, Indexers.ByOwner);
        ReplicaSets.AddIndexer(Indexers.Owner, Indexers.ByOwner);
        DaemonSets = factory.For<DaemonSet>(ResourceKinds.DaemonSet);
        StatefulSets = factory.For<StatefulSet>(ResourceKinds.StatefulSet);
        ControllerRevisions = factory.For<ControllerRevision>(ResourceKinds.ControllerRevision);
        ControllerRevisions.AddIndexer(Indexers.Owner, Indexers.ByOwner);
        PodDisruptionBudgets = factory.For<PodDisruptionBudget>(ResourceKinds.PodDisruptionBudget);
        KafkaTopics = factory.For<KafkaTopic>(ResourceKinds.KafkaTopic);
        KafkaTopics.AddIndexer(BrokerTopicIndex, t => [t.BrokerTopicName]);
        KafkaConnectors = factory.For<KafkaConnector>(ResourceKinds.KafkaConnector);
    }

    /// <summary>The index of KafkaTopics by the broker topic they claim (names are cluster-wide).</summary>
    public const string BrokerTopicIndex = "brokerTopic";

    public Informer<Pod> Pods { get; }
    public Informer<ReplicaSet> ReplicaSets { get; }
    public Informer<Deployment> Deployments { get; }
    public Informer<Node> Nodes { get; }
    public Informer<Service> Services { get; }
    public Informer<Lease> Leases { get; }
    public Informer<Namespace> Namespaces { get; }
    public Informer<ServiceAccount> ServiceAccounts { get; }
    public Informer<ClusterRole> ClusterRoles { get; }
    public Informer<ResourceQuota> ResourceQuotas { get; }

    /// <summary>ConfigMaps' metadata (<see cref="InformerOptions.MetadataOnly"/>).</summary>
    public Informer<ConfigMap> ConfigMaps { get; }

    /// <summary>Secrets' metadata (<see cref="InformerOptions.MetadataOnly"/>).</summary>
    public Informer<Secret> Secrets { get; }

    /// <summary>EndpointSlices, indexed by owner (a Service's slices are those it owns).</summary>
    public Informer<EndpointSlice> EndpointSlices { get; }

    /// <summary>Legacy Endpoints, mirrored from the slices.</summary>
    public Informer<Endpoints> Endpoints { get; }

    public Informer<PersistentVolume> PersistentVolumes { get; }
    public Informer<PersistentVolumeClaim> PersistentVolumeClaims { get; }
    public Informer<StorageClass> StorageClasses { get; }
    /// <summary>Jobs, indexed by owner (a CronJob's runs are the Jobs it owns).</summary>
    public Informer<Job> Jobs { get; }

    public Informer<CronJob> CronJobs { get; }

    public Informer<DaemonSet> DaemonSets { get; }
    public Informer<StatefulSet> StatefulSets { get; }

    /// <summary>The history of DaemonSets and StatefulSets, indexed by owner.</summary>
    public Informer<ControllerRevision> ControllerRevisions { get; }

    /// <summary>The budgets the disruption controller keeps the status of.</summary>
    public Informer<PodDisruptionBudget> PodDisruptionBudgets { get; }

    /// <summary>Every informer above (read from this type's properties, so a new one cannot be left out).</summary>
    public IReadOnlyList<IInformer> All => _all ??= [.. GetType().GetProperties().Where(p => typeof(IInformer).IsAssignableFrom(p.PropertyType)).Select(p => (IInformer)p.GetValue(this)!)];

    private IReadOnlyList<IInformer>? _all;

    public Informer<HorizontalPodAutoscaler> HorizontalPodAutoscalers { get; }

    /// <summary>KafkaTopics, indexed by <see cref="BrokerTopicIndex"/>.</summary>
    public Informer<KafkaTopic> KafkaTopics { get; }

    public Informer<KafkaConnector> KafkaConnectors { get; }

    /// <summary>Completes when every informer holds its first list (controllers start reconciling only then).</summary>
    public Task WaitForSyncAsync(CancellationToken ct) => Task.WhenAll(All.Select(i => i.WaitForSyncAsync(ct)));
}
