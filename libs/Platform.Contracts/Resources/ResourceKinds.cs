namespace Platform.Contracts.Resources;

/// <summary>Every kind the apiserver serves, shared by the apiserver, <c>platformctl</c> and the controllers.</summary>
public static class ResourceKinds
{
    public static ResourceKind Namespace { get; } = new("Namespace", "namespaces", "", "v1", false, typeof(Namespace), ["ns"], ["status"]);
    public static ResourceKind Node { get; } = new("Node", "nodes", "", "v1", false, typeof(Node), ["no"], ["status"]);
    public static ResourceKind Pod { get; } = new("Pod", "pods", "", "v1", true, typeof(Pod), ["po"], ["status", "binding", "eviction"]) { Categories = ["all"] };
    public static ResourceKind Service { get; } = new("Service", "services", "", "v1", true, typeof(Service), ["svc"], ["status"]) { Categories = ["all"] };
    public static ResourceKind ConfigMap { get; } = new("ConfigMap", "configmaps", "", "v1", true, typeof(ConfigMap), ["cm"], []);
    public static ResourceKind Secret { get; } = new("Secret", "secrets", "", "v1", true, typeof(Secret), [], []);
    public static ResourceKind ResourceQuota { get; } = new("ResourceQuota", "resourcequotas", "", "v1", true, typeof(ResourceQuota), ["quota"], ["status"]);
    public static ResourceKind LimitRange { get; } = new("LimitRange", "limitranges", "", "v1", true, typeof(LimitRange), ["limits"], []);
    public static ResourceKind Event { get; } = new("Event", "events", "", "v1", true, typeof(Event), ["ev"], []);
    public static ResourceKind ReplicaSet { get; } = new("ReplicaSet", "replicasets", "apps", "v1", true, typeof(ReplicaSet), ["rs"], ["status", "scale"]) { Categories = ["all"] };
    public static ResourceKind Deployment { get; } = new("Deployment", "deployments", "apps", "v1", true, typeof(Deployment), ["deploy"], ["status", "scale"]) { Categories = ["all"] };
    public static ResourceKind Route { get; } = new("Route", "routes", "gateway.platform.io", "v1", true, typeof(Route), ["rt"], ["status"]);
    public static ResourceKind RouteFilter { get; } = new("RouteFilter", "routefilters", "gateway.platform.io", "v1", true, typeof(RouteFilter), ["rf"], []);
    public static ResourceKind Lease { get; } = new("Lease", "leases", "coordination.k8s.io", "v1", true, typeof(Lease), [], []);
    public static ResourceKind EndpointSlice { get; } = new("EndpointSlice", "endpointslices", Discovery, "v1", true, typeof(EndpointSlice), [], []);
    public static ResourceKind Endpoints { get; } = new("Endpoints", "endpoints", "", "v1", true, typeof(Endpoints), ["ep"], []);
    public static ResourceKind ServiceAccount { get; } = new("ServiceAccount", "serviceaccounts", "", "v1", true, typeof(ServiceAccount), ["sa"], ["token"]);
    public static ResourceKind Role { get; } = new("Role", "roles", Rbac, "v1", true, typeof(Role), [], []);
    public static ResourceKind ClusterRole { get; } = new("ClusterRole", "clusterroles", Rbac, "v1", false, typeof(ClusterRole), [], []);
    public static ResourceKind RoleBinding { get; } = new("RoleBinding", "rolebindings", Rbac, "v1", true, typeof(RoleBinding), [], []);
    public static ResourceKind ClusterRoleBinding { get; } = new("ClusterRoleBinding", "clusterrolebindings", Rbac, "v1", false, typeof(ClusterRoleBinding), [], []);

    public static ResourceKind Ingress { get; } = new("Ingress", "ingresses", Networking, "v1", true, typeof(Ingress), ["ing"], ["status"]);
    public static ResourceKind PersistentVolume { get; } = new("PersistentVolume", "persistentvolumes", "", "v1", false, typeof(PersistentVolume), ["pv"], ["status"]);
    public static ResourceKind PersistentVolumeClaim { get; } = new("PersistentVolumeClaim", "persistentvolumeclaims", "", "v1", true, typeof(PersistentVolumeClaim), ["pvc"], ["status"]);
    public static ResourceKind StorageClass { get; } = new("StorageClass", "storageclasses", Storage, "v1", false, typeof(StorageClass), ["sc"], []);

    public static ResourceKind IngressClass { get; } = new("IngressClass", "ingressclasses", Networking, "v1", false, typeof(IngressClass), [], []);

    public static ResourceKind DaemonSet { get; } = new("DaemonSet", "daemonsets", "apps", "v1", true, typeof(DaemonSet), ["ds"], ["status"]) { Categories = ["all"] };
    public static ResourceKind StatefulSet { get; } = new("StatefulSet", "statefulsets", "apps", "v1", true, typeof(StatefulSet), ["sts"], ["status", "scale"]) { Categories = ["all"] };
    public static ResourceKind ControllerRevision { get; } = new("ControllerRevision", "controllerrevisions", "apps", "v1", true, typeof(ControllerRevision), [], []);

    public static ResourceKind Job { get; } = new("Job", "jobs", Batch, "v1", true, typeof(Job), [], ["status"]) { Categories = ["all"] };
    public static ResourceKind CronJob { get; } = new("CronJob", "cronjobs", Batch, "v1", true, typeof(CronJob), ["cj"], ["status"]) { Categories = ["all"] };

    public static ResourceKind PriorityClass { get; } = new("PriorityClass", "priorityclasses", Scheduling, "v1", false, typeof(PriorityClass), ["pc"], []);
    public static ResourceKind PodDisruptionBudget { get; } = new("PodDisruptionBudget", "poddisruptionbudgets", Policy, "v1", true, typeof(PodDisruptionBudget), ["pdb"], ["status"]);

    /// <summary>The API group of PriorityClasses.</summary>
    public const string Scheduling = "scheduling.k8s.io";

    /// <summary>The API group of PodDisruptionBudgets and Evictions.</summary>
    public const string Policy = "policy";

    public static ResourceKind HorizontalPodAutoscaler { get; } = new("HorizontalPodAutoscaler", "horizontalpodautoscalers", Autoscaling, "v2", true, typeof(HorizontalPodAutoscaler), ["hpa"], ["status"]) { Categories = ["all"] };

    public static ResourceKind KafkaTopic { get; } = new("KafkaTopic", "kafkatopics", Kafka, "v1", true, typeof(KafkaTopic), ["kt"], ["status"]);
    public static ResourceKind KafkaConnector { get; } = new("KafkaConnector", "kafkaconnectors", Kafka, "v1", true, typeof(KafkaConnector), ["kctr"], ["status"]);

    public static ResourceKind GatewayClass { get; } = new("GatewayClass", "gatewayclasses", GatewayApi.GatewayApiNames.Group, "v1", false, typeof(GatewayApi.GatewayClass), ["gc"], ["status"]) { Categories = ["gateway-api"] };
    public static ResourceKind Gateway { get; } = new("Gateway", "gateways", GatewayApi.GatewayApiNames.Group, "v1", true, typeof(GatewayApi.Gateway), ["gtw"], ["status"]) { Categories = ["gateway-api"] };
    public static ResourceKind HttpRoute { get; } = new("HTTPRoute", "httproutes", GatewayApi.GatewayApiNames.Group, "v1", true, typeof(GatewayApi.HttpRoute), [], ["status"]) { Categories = ["gateway-api"] };
    public static ResourceKind ReferenceGrant { get; } = new("ReferenceGrant", "referencegrants", GatewayApi.GatewayApiNames.Group, "v1beta1", true, typeof(GatewayApi.ReferenceGrant), ["refgrant"], []) { Categories = ["gateway-api"] };

    /// <summary>The platform's API group of KafkaTopics and KafkaConnectors (Strimzi's kinds, in a group of ours).</summary>
    public const string Kafka = "kafka.platform.io";

    /// <summary>The API group of HorizontalPodAutoscalers (and of the Scale subresource).</summary>
    public const string Autoscaling = "autoscaling";

    /// <summary>The API group of Jobs and CronJobs.</summary>
    public const string Batch = "batch";

    /// <summary>The API group of Ingresses and IngressClasses.</summary>
    public const string Networking = "networking.k8s.io";

    /// <summary>The API group of StorageClasses.</summary>
    public const string Storage = "storage.k8s.io";

    /// <summary>The API group of EndpointSlices.</summary>
    public const string Discovery = "discovery.k8s.io";

    /// <summary>The API group of Roles, ClusterRoles and their bindings.</summary>
    public const string Rbac = "rbac.authorization.k8s.io";

    public static IReadOnlyList<ResourceKind> All { get; } =
        [Namespace, Node, Pod, Service, ConfigMap, Secret, ResourceQuota, LimitRange, Event, ReplicaSet, Deployment, Route, RouteFilter, Lease,
         ServiceAccount, Role, ClusterRole, RoleBinding, ClusterRoleBinding, EndpointSlice, Endpoints, Ingress, IngressClass,
         PersistentVolume, PersistentVolumeClaim, StorageClass, Job, CronJob,
         DaemonSet, StatefulSet, ControllerRevision,
         PriorityClass, PodDisruptionBudget, HorizontalPodAutoscaler,
         KafkaTopic, KafkaConnector,
         GatewayClass, Gateway, HttpRoute, ReferenceGrant];

    /// <summary>The kind served at <c>{group}/{version}/{plural}</c>, or null.</summary>
    public static ResourceKind? ByPath(string group, string version, string plural) =>
        All.FirstOrDefault(k => k.Group == group && k.Version == version && k.Plural == plural);

    /// <summary>The kind of a manifest's <c>apiVersion</c> and <c>kind</c>, or null.</summary>
    public static ResourceKind? ByApiVersionKind(string? apiVersion, string? kind) =>
        All.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind);

    /// <summary>A kind from what a user types: <c>pod</c>, <c>pods</c>, <c>po</c>, <c>Deployment</c>, <c>deploy</c> (case-insensitive).</summary>
    public static ResourceKind? Find(string name)
    {
        var n = name.ToLowerInvariant();
        return All.FirstOrDefault(k => k.Plural == n || k.Kind.ToLowerInvariant() == n || k.ShortNames.Contains(n)
            || (k.Group.Length > 0 && $"{k.Plural}.{k.Group}" == n));
    }
}
