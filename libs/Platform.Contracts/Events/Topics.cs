namespace Platform.Contracts.Events;

/// <summary>Kafka topic names used by the platform (see README "Kafka topics").</summary>
public static class Topics
{
    public const string Prefix = "platform.";
    public const string Pods = "platform.pods";
    public const string Nodes = "platform.nodes";
    public const string Deployments = "platform.deployments";
    public const string ReplicaSets = "platform.replicasets";
    public const string Services = "platform.services";
    public const string Routes = "platform.routes";
    public const string RouteFilters = "platform.routefilters";
    public const string ConfigMaps = "platform.configmaps";
    public const string Secrets = "platform.secrets";
    public const string Namespaces = "platform.namespaces";
    public const string ResourceQuotas = "platform.resourcequotas";
    public const string LimitRanges = "platform.limitranges";
    public const string Leases = "platform.leases";
    public const string ServiceAccounts = "platform.serviceaccounts";
    public const string Roles = "platform.roles";
    public const string ClusterRoles = "platform.clusterroles";
    public const string RoleBindings = "platform.rolebindings";
    public const string ClusterRoleBindings = "platform.clusterrolebindings";
    public const string Events = "platform.events";
    public const string Ingresses = "platform.ingresses";
    public const string IngressClasses = "platform.ingressclasses";
    public const string EndpointSlices = "platform.endpointslices";
    public const string Endpoints = "platform.endpoints";
    public const string PersistentVolumes = "platform.persistentvolumes";
    public const string PersistentVolumeClaims = "platform.persistentvolumeclaims";
    public const string StorageClasses = "platform.storageclasses";
    public const string Jobs = "platform.jobs";
    public const string CronJobs = "platform.cronjobs";
    public const string DaemonSets = "platform.daemonsets";
    public const string StatefulSets = "platform.statefulsets";
    public const string ControllerRevisions = "platform.controllerrevisions";
    public const string PriorityClasses = "platform.priorityclasses";
    public const string PodDisruptionBudgets = "platform.poddisruptionbudgets";
    public const string HorizontalPodAutoscalers = "platform.horizontalpodautoscalers";
    public const string KafkaTopics = "platform.kafkatopics";
    public const string KafkaConnectors = "platform.kafkaconnectors";
    public const string GatewayClasses = "platform.gatewayclasses";
    public const string Gateways = "platform.gateways";
    public const string HttpRoutes = "platform.httproutes";
    public const string ReferenceGrants = "platform.referencegrants";
    public const string Registry = "platform.registry";
    public const string SpringCloudBus = "springCloudBus";

    /// <summary>Suffix of the dead-letter topic a consumer writes a poison message to.</summary>
    public const string DeadLetterSuffix = ".dlq";

    /// <summary>The topic of a resource kind, from its lower-case plural (<c>pods</c> → <c>platform.pods</c>).</summary>
    public static string ForKind(string plural) => Prefix + plural.ToLowerInvariant();

    public static string DeadLetterOf(string topic) => topic + DeadLetterSuffix;

    /// <summary>Every platform topic with its partition count, created by the development broker.</summary>
    public static IReadOnlyList<TopicSpec> All { get; } =
    [
        new(Pods, 12), new(Nodes, 6), new(Deployments, 6), new(ReplicaSets, 6), new(Services, 6),
        new(Routes, 3), new(RouteFilters, 3), new(ConfigMaps, 3), new(Secrets, 3), new(Namespaces, 3), new(ResourceQuotas, 3), new(LimitRanges, 3),
        new(Leases, 6), new(Events, 6), new(Registry, 6), new(SpringCloudBus, 1),
        new(ServiceAccounts, 3), new(Roles, 3), new(ClusterRoles, 3), new(RoleBindings, 3), new(ClusterRoleBindings, 3),
        new(Ingresses, 3), new(IngressClasses, 1),
        new(EndpointSlices, 6), new(Endpoints, 6),
        new(PersistentVolumes, 3), new(PersistentVolumeClaims, 3), new(StorageClasses, 1),
        new(Jobs, 6), new(CronJobs, 3),
        new(DaemonSets, 3), new(StatefulSets, 3), new(ControllerRevisions, 3),
        new(PriorityClasses, 1), new(PodDisruptionBudgets, 3),
        new(HorizontalPodAutoscalers, 3),
        new(KafkaTopics, 3), new(KafkaConnectors, 3),
        new(GatewayClasses, 1), new(Gateways, 3), new(HttpRoutes, 3), new(ReferenceGrants, 3),
    ];
}

public sealed record TopicSpec(string Name, int Partitions);
